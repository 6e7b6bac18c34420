package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GuardTest {
    final Guard guard = Guard.defaults();

    static List<CheckResult> tick(int ok, int failed, Outcome failure) {
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < ok + failed; i++) {
            for (Check check : Check.values()) {
                Outcome outcome = i < ok || check != Check.HTTPS ? Outcome.OK : failure;
                results.add(new CheckResult("n" + i, check, outcome, Duration.ofMillis(3), ""));
            }
        }
        return results;
    }

    @Test
    void aFewFailingNodesAreTheNodesFault() {
        assertThat(guard.fault(tick(8, 2, Outcome.TIMEOUT), Optional.empty())).isEmpty();
        assertThat(guard.fault(tick(1, 2, Outcome.TIMEOUT), Optional.empty())).isEmpty();
    }

    @Test
    void localErrorsForMostNodesAreTheWitnesssFault() {
        assertThat(guard.fault(tick(4, 6, Outcome.LOCAL_ERROR), Optional.of(true)))
                .get()
                .asString()
                .contains("own network failed");
    }

    @Test
    void localErrorsWithNothingAnsweringAreTheWitnesssFault() {
        List<CheckResult> cutOff = new ArrayList<>();
        cutOff.add(new CheckResult("a", Check.HTTPS, Outcome.TIMEOUT, Duration.ofSeconds(5), "pooled connection"));
        cutOff.add(new CheckResult("a", Check.PING, Outcome.LOCAL_ERROR, Duration.ZERO, "network is unreachable"));
        cutOff.add(new CheckResult("b", Check.HTTPS, Outcome.TIMEOUT, Duration.ofSeconds(5), "pooled connection"));
        cutOff.add(new CheckResult("b", Check.PING, Outcome.TIMEOUT, Duration.ofSeconds(2), ""));
        assertThat(guard.fault(cutOff, Optional.of(true))).isPresent();
    }

    @Test
    void oneUnroutableNodeAmongAnsweringOnesIsNoWitnessFault() {
        assertThat(guard.fault(tick(9, 1, Outcome.LOCAL_ERROR), Optional.of(true)))
                .isEmpty();
    }

    @Test
    void mostNodesFailingTogetherIsTheWitnesssFaultUnlessAReferenceAnswers() {
        List<CheckResult> results = tick(2, 3, Outcome.TIMEOUT);
        assertThat(guard.fault(results, Optional.empty())).get().asString().contains("3 of 5 nodes failed together");
        assertThat(guard.fault(results, Optional.of(false))).get().asString().contains("no reference point answered");
        assertThat(guard.fault(results, Optional.of(true))).isEmpty();
    }

    @Test
    void checksTheWitnessHadNoCapacityForAreNeitherFailuresNorFaults() {
        List<CheckResult> results = tick(2, 3, Outcome.NOT_CHECKED);
        assertThat(guard.fault(results, Optional.of(false))).isEmpty();
        assertThat(results.stream().filter(r -> r.outcome().failed())).isEmpty();
    }

    @Test
    void halfFailingIsNotMost() {
        assertThat(guard.fault(tick(3, 3, Outcome.REFUSED), Optional.empty())).isEmpty();
    }
}
