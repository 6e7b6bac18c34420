package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Time is passed in as nanoseconds: nothing here sleeps. */
class RateLimiterTest {
    private static final long T0 = 123_456_789_000L;

    private static long at(double seconds) {
        return T0 + (long) (seconds * 1e9);
    }

    @Test
    void burstIsAllowedThenTheClientWaits() {
        RateLimiter limiter = new RateLimiter(60, 3);

        assertThat(limiter.acquire("a", T0)).isZero();
        assertThat(limiter.acquire("a", T0)).isZero();
        assertThat(limiter.acquire("a", T0)).isZero();
        assertThat(limiter.acquire("a", T0)).isEqualTo(1);
        assertThat(limiter.acquire("a", T0)).isEqualTo(1);
    }

    @Test
    void waitIsRoundedUpToWholeSeconds() {
        RateLimiter limiter = new RateLimiter(6, 1);

        assertThat(limiter.acquire("a", T0)).isZero();
        assertThat(limiter.acquire("a", T0)).isEqualTo(10);
        assertThat(limiter.acquire("a", at(0.5))).isEqualTo(10);
        assertThat(limiter.acquire("a", at(9.01))).isEqualTo(1);
        assertThat(limiter.acquire("a", at(10.01))).isZero();
    }

    @Test
    void tokensRefillOverTime() {
        RateLimiter limiter = new RateLimiter(60, 2);
        limiter.acquire("a", T0);
        limiter.acquire("a", T0);

        assertThat(limiter.acquire("a", at(0.999))).isEqualTo(1);
        assertThat(limiter.acquire("a", at(1.01))).isZero();
        assertThat(limiter.acquire("a", at(1.01))).isEqualTo(1);
        assertThat(limiter.acquire("a", at(3.1))).isZero();
        assertThat(limiter.acquire("a", at(3.1))).isZero();
        assertThat(limiter.acquire("a", at(3.1))).isEqualTo(1);
    }

    @Test
    void refusedAttemptsDoNotCostTokens() {
        RateLimiter limiter = new RateLimiter(60, 1);
        limiter.acquire("a", T0);
        for (int i = 0; i < 100; i++) {
            limiter.acquire("a", at(0.5));
        }

        assertThat(limiter.acquire("a", at(1.01))).isZero();
    }

    @Test
    void refillNeverExceedsTheBurst() {
        RateLimiter limiter = new RateLimiter(60, 3);
        limiter.acquire("a", T0);
        long later = T0 + TimeUnit.DAYS.toNanos(1);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a", later)).isZero();
        }
        assertThat(limiter.acquire("a", later)).isEqualTo(1);
    }

    @Test
    void clientsHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(60, 1);

        assertThat(limiter.acquire("a", T0)).isZero();
        assertThat(limiter.acquire("a", T0)).isEqualTo(1);
        assertThat(limiter.acquire("b", T0)).isZero();
        assertThat(limiter.acquire("2001:db8::1", T0)).isZero();
    }

    @Test
    void burstBelowOneStillAllowsOneUpload() {
        RateLimiter limiter = new RateLimiter(60, 0);

        assertThat(limiter.acquire("a", T0)).isZero();
        assertThat(limiter.acquire("a", T0)).isEqualTo(1);
    }

    @Test
    void clockOriginDoesNotMatterEvenNegativeNanos() {
        RateLimiter limiter = new RateLimiter(60, 1);
        long negative = -5_000_000_000L;

        assertThat(limiter.acquire("a", negative)).isZero();
        assertThat(limiter.acquire("a", negative + 500_000_000L)).isEqualTo(1);
        assertThat(limiter.acquire("a", negative + 1_010_000_000L)).isZero();
    }

    @Test
    void evictionKeepsBucketsThatAreNotFull() {
        RateLimiter limiter = new RateLimiter(60, 2);
        limiter.acquire("idle", T0);
        limiter.acquire("busy", at(10));
        limiter.acquire("busy", at(10));

        limiter.evictIdle(at(10.5));

        // "busy" kept its empty bucket: it still has to wait; "idle" starts over with a full one.
        assertThat(limiter.acquire("busy", at(10.5))).isEqualTo(1);
        assertThat(limiter.acquire("idle", at(10.5))).isZero();
        assertThat(limiter.acquire("idle", at(10.5))).isZero();
        assertThat(limiter.acquire("idle", at(10.5))).isEqualTo(1);
    }
}
