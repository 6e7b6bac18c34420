package pomf.access.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginFailuresTest {
    static final long SECOND = 1_000_000_000L;
    final LoginFailures failures =
            new LoginFailures(new Lockout(2, Duration.ofSeconds(30), Duration.ofSeconds(900)), Duration.ofSeconds(900));

    @Test
    void aClientLocksItselfOutOfOneNameOnly() {
        assertThat(failures.failed("203.0.113.1", "admin", 0)).isFalse();
        assertThat(failures.failed("203.0.113.1", "admin", SECOND)).isFalse();
        assertThat(failures.failed("203.0.113.1", "ADMIN", 2 * SECOND)).isTrue();
        assertThat(failures.locked("203.0.113.1", "admin", 3 * SECOND)).isTrue();
        assertThat(failures.locked("203.0.113.2", "admin", 3 * SECOND)).isFalse();
        assertThat(failures.locked("203.0.113.1", "alice", 3 * SECOND)).isFalse();
        // the first lock is 30 s; the next failure doubles it
        assertThat(failures.locked("203.0.113.1", "admin", 33 * SECOND)).isFalse();
        assertThat(failures.failed("203.0.113.1", "admin", 33 * SECOND)).isTrue();
        assertThat(failures.locked("203.0.113.1", "admin", 92 * SECOND)).isTrue();
        assertThat(failures.locked("203.0.113.1", "admin", 94 * SECOND)).isFalse();
    }

    @Test
    void aSuccessOrALongQuietEndsTheRun() {
        for (int i = 0; i < 3; i++) {
            failures.failed("203.0.113.1", "admin", i);
        }
        failures.succeeded("203.0.113.1", "admin");
        assertThat(failures.locked("203.0.113.1", "admin", 10)).isFalse();
        assertThat(failures.failed("203.0.113.1", "admin", 10)).isFalse();

        for (int i = 0; i < 3; i++) {
            failures.failed("198.51.100.1", "bob", i);
        }
        // more than the longest lock later, a mistype starts a new run instead of a 15-minute lock
        assertThat(failures.failed("198.51.100.1", "bob", 902 * SECOND)).isFalse();
    }

    @Test
    void namesOfAnyLengthAreKeptBoundedAndTheMapHasACeiling() {
        String huge = "x".repeat(1_000_000);
        failures.failed("203.0.113.1", huge, 0);
        assertThat(failures.size()).isEqualTo(1);
        for (int i = 0; i < LoginFailures.CLIENTS + 10; i++) {
            failures.failed("10.0." + (i >> 8) + "." + (i & 255), "n" + i, 0);
        }
        assertThat(failures.size()).isEqualTo(LoginFailures.CLIENTS);
    }
}
