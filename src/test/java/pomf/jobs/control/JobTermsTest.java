package pomf.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The tolerance a claim allows on the interval: a tenth of it, at most 5 s. */
class JobTermsTest {
    private static Duration spacing(Duration interval) {
        return new JobTerms("janitor", interval).spacing();
    }

    @Test
    void aShortIntervalToleratesATenthOfIt() {
        assertThat(spacing(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(9));
        assertThat(spacing(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aLongIntervalToleratesFiveSeconds() {
        assertThat(spacing(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(55));
        assertThat(spacing(Duration.ofDays(1))).isEqualTo(Duration.ofDays(1).minusSeconds(5));
    }

    @Test
    void intervalZeroStaysZero() {
        assertThat(spacing(Duration.ZERO)).isZero();
    }
}
