package pomf.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pomf.access.control.AccessSettings;
import pomf.it.deployments.ConfigInjection;

/**
 * The login's limits as a client meets them: per address (an IPv6 client owns a whole /64, so it is limited by
 * its prefix) and, for the CPU, on password checks running at once. The accounts are a stand-in counting checks.
 */
class LoginLimitsTest {
    private static final String WRONG = AdminAuthentication.FAILED;
    private static final String LIMITED = "Too many login attempts";

    private final CountingAccounts accounts = new CountingAccounts();

    private LoginAttempts attempts(Map<String, String> settings) {
        return new LoginAttempts(ConfigInjection.inject(new AccessSettings(), settings), accounts);
    }

    private LoginAttempts oneAttemptAMinute() {
        return attempts(Map.of("pomf.admin.login-rate", "1"));
    }

    @Test
    void addressesInOneSlash64ShareTheirLimit() {
        LoginAttempts logins = oneAttemptAMinute();

        assertThat(logins.login("2001:db8:1:2::1", "alice")).isEqualTo(WRONG);
        assertThat(logins.login("2001:db8:1:2:ffff:ffff:ffff:fffe", "alice")).startsWith(LIMITED);
        assertThat(accounts.checks).hasValue(1);
    }

    @Test
    void differentSlash64sHaveTheirOwnLimits() {
        LoginAttempts logins = oneAttemptAMinute();

        assertThat(logins.login("2001:db8:1:2::1", "alice")).isEqualTo(WRONG);
        assertThat(logins.login("2001:db8:1:3::1", "alice")).isEqualTo(WRONG);
        assertThat(logins.login("2001:db9:1:2::1", "alice")).isEqualTo(WRONG);
        assertThat(accounts.checks).hasValue(3);
    }

    @Test
    void anIpv4MappedAddressIsItsIpv4Address() {
        LoginAttempts logins = oneAttemptAMinute();

        assertThat(logins.login("203.0.113.9", "alice")).isEqualTo(WRONG);
        assertThat(logins.login("::ffff:203.0.113.9", "alice")).startsWith(LIMITED);
        assertThat(logins.login("::ffff:cb00:7109", "alice")).startsWith(LIMITED);
        // IPv4 stays keyed by the full address.
        assertThat(logins.login("203.0.113.10", "alice")).isEqualTo(WRONG);
    }

    @Test
    void thePrefixLengthIsASetting() {
        LoginAttempts by48 = attempts(Map.of("pomf.admin.login-rate", "1", "pomf.ipv6-prefix-length", "48"));
        assertThat(by48.login("2001:db8:1:2::1", "alice")).isEqualTo(WRONG);
        assertThat(by48.login("2001:db8:1:3::1", "alice")).startsWith(LIMITED);

        LoginAttempts by128 = attempts(Map.of("pomf.admin.login-rate", "1", "pomf.ipv6-prefix-length", "128"));
        assertThat(by128.login("2001:db8:1:2::1", "alice")).isEqualTo(WRONG);
        assertThat(by128.login("2001:db8:1:2::2", "alice")).isEqualTo(WRONG);
        assertThat(by128.login("2001:db8:1:2:0:0:0:1", "alice")).startsWith(LIMITED);
    }

    @Test
    void byDefaultAsManyPasswordChecksRunAtOnceAsThereAreProcessors() throws Exception {
        int processors = Runtime.getRuntime().availableProcessors();
        LoginAttempts logins = attempts(Map.of());

        String refused = whileChecksAreHeld(processors, logins);

        assertThat(refused).startsWith(LIMITED);
        assertThat(accounts.checks).as("password checks run").hasValue(processors);
        assertThat(accounts.mostAtOnce).hasValue(processors);
    }

    @Test
    void theHashingCapIsASettingAndAFreedSlotServesTheNextLogin() throws Exception {
        LoginAttempts logins = attempts(Map.of("pomf.admin.hash-concurrency", "1"));

        String refused = whileChecksAreHeld(1, logins);

        assertThat(refused).startsWith(LIMITED);
        assertThat(accounts.checks).as("password checks run").hasValue(1);
        assertThat(logins.login("198.51.100.200", "carol")).isEqualTo(WRONG);
        assertThat(accounts.checks).hasValue(2);
    }

    /** Starts {@code held} logins whose checks wait, tries one more from another address, then lets them go. */
    private String whileChecksAreHeld(int held, LoginAttempts logins) throws InterruptedException {
        accounts.hold(held);
        List<Thread> holders = new ArrayList<>();
        for (int i = 0; i < held; i++) {
            String address = "198.51.100." + (i + 1);
            Thread holder = new Thread(() -> logins.login(address, "alice"));
            holder.start();
            holders.add(holder);
        }
        accounts.heldChecks.await();
        try {
            return logins.login("203.0.113.250", "bob");
        } finally {
            accounts.release.countDown();
            for (Thread holder : holders) {
                holder.join();
            }
        }
    }

    /** Every check fails; the first few can be held until the test lets them go. */
    static final class CountingAccounts extends AdminAccounts {
        final AtomicInteger checks = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile CountDownLatch heldChecks = new CountDownLatch(0);
        private volatile int toHold;

        void hold(int checks) {
            toHold = checks;
            heldChecks = new CountDownLatch(checks);
        }

        @Override
        public Check verify(String username, String password, String address) {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            try {
                if (checks.incrementAndGet() <= toHold) {
                    heldChecks.countDown();
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never let the held checks go");
                    }
                }
                return Check.INVALID;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }
    }
}
