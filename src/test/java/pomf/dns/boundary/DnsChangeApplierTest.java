package pomf.dns.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.dns.control.DnsException;
import pomf.dns.control.DnsProvider;
import pomf.dns.control.DnsProviders;
import pomf.dns.control.DnsSql;

/**
 * One change applied and confirmed, without a database or a DNS server: {@link DnsSql} is a subclass that hands out
 * the change and notes each update; the provider is a fake zone of one record that can fail on cue. What is checked
 * is what the change's row becomes: state, attempts, the wait before the next attempt and the error shown.
 */
class DnsChangeApplierTest {
    private static final String RECORD = "cdn.example.com";
    private static final String ADDRESS = "192.0.2.7";

    /** One row's update: what {@link DnsSql#updateChange} received. */
    record Update(long id, String state, int attempts, int waitSeconds, String error) {}

    private final DnsChangeApplier applier = new DnsChangeApplier();
    private final List<Update> updates = new ArrayList<>();
    private final List<String> providerCalls = new ArrayList<>();
    /** The record's A set at the fake provider. */
    private final Set<String> zone = new LinkedHashSet<>();

    private Optional<DnsSql.OpenChange> open = Optional.empty();
    private Exception failChange;
    private Exception failRead;
    /** When true, the provider accepts a change but does not make it (a write not yet visible). */
    private boolean lagging;

    @BeforeEach
    void wire() {
        applier.sql = new DnsSql() {
            @Override
            public List<Long> dueChanges() {
                throw new AssertionError("the applier does not look for due changes");
            }

            @Override
            public Optional<OpenChange> takeChange(long id) {
                providerCalls.add("take " + id);
                return open;
            }

            @Override
            public void updateChange(long id, String state, int attempts, int waitSeconds, String error) {
                updates.add(new Update(id, state, attempts, waitSeconds, error));
            }
        };
        DnsProvider provider = new DnsProvider() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public Set<String> addresses(String record) throws DnsException {
                providerCalls.add("read " + record);
                fail(failRead);
                return Set.copyOf(zone);
            }

            @Override
            public void add(String record, String address) throws DnsException {
                providerCalls.add("add " + address + " to " + record);
                fail(failChange);
                if (!lagging) {
                    zone.add(address);
                }
            }

            @Override
            public void remove(String record, String address) throws DnsException {
                providerCalls.add("remove " + address + " from " + record);
                fail(failChange);
                if (!lagging) {
                    zone.remove(address);
                }
            }
        };
        applier.providers = new DnsProviders() {
            @Override
            public synchronized DnsProvider provider() {
                return provider;
            }
        };
    }

    private static void fail(Exception e) throws DnsException {
        if (e instanceof DnsException d) {
            throw d;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
    }

    private void change(boolean add, int attempts) {
        open = Optional.of(new DnsSql.OpenChange(RECORD, ADDRESS, add, attempts));
    }

    @Test
    void theBackoffDoublesFromTwoSecondsToFiveMinutes() {
        int[] expected = {2, 4, 8, 16, 32, 64, 128, 256, 300, 300};
        for (int attempts = 1; attempts <= expected.length; attempts++) {
            assertThat(DnsChangeApplier.backoff(attempts))
                    .as("after attempt %d", attempts)
                    .isEqualTo(expected[attempts - 1]);
        }
        assertThat(DnsChangeApplier.backoff(31)).isEqualTo(300);
        assertThat(DnsChangeApplier.backoff(64)).isEqualTo(300);
        assertThat(DnsChangeApplier.backoff(Integer.MAX_VALUE)).isEqualTo(300);
    }

    @Test
    void aChangeTakenElsewhereOrClosedIsLeftAlone() {
        open = Optional.empty();

        applier.apply(5L);

        assertThat(providerCalls).containsExactly("take 5");
        assertThat(updates).isEmpty();
    }

    @Test
    void anAdditionSeenInTheRecordIsConfirmedWithNoWaitAndNoError() {
        zone.add("192.0.2.1");
        change(true, 0);

        applier.apply(11L);

        assertThat(providerCalls)
                .containsExactly("take 11", "add 192.0.2.7 to cdn.example.com", "read cdn.example.com");
        assertThat(updates).containsExactly(new Update(11L, "confirmed", 1, 0, ""));
        assertThat(zone).containsExactlyInAnyOrder("192.0.2.1", ADDRESS);
    }

    @Test
    void aRemovalGoneFromTheRecordIsConfirmed() {
        zone.add("192.0.2.1");
        zone.add(ADDRESS);
        change(false, 2);

        applier.apply(12L);

        assertThat(providerCalls)
                .containsExactly("take 12", "remove 192.0.2.7 from cdn.example.com", "read cdn.example.com");
        assertThat(updates).containsExactly(new Update(12L, "confirmed", 3, 0, ""));
        assertThat(zone).containsExactly("192.0.2.1");
    }

    @Test
    void anAdditionNotYetSeenIsAppliedAndCheckedAgainAfterTheBackoff() {
        lagging = true;
        change(true, 2);

        applier.apply(13L);

        assertThat(updates)
                .containsExactly(new Update(13L, "applied", 3, 8, "applied, but reading back cdn.example.com gave []"));
    }

    @Test
    void aRemovalStillSeenIsAppliedAndCheckedAgain() {
        lagging = true;
        zone.add(ADDRESS);
        change(false, 0);

        applier.apply(14L);

        assertThat(updates)
                .containsExactly(
                        new Update(14L, "applied", 1, 2, "applied, but reading back cdn.example.com gave [192.0.2.7]"));
    }

    @Test
    void aRetryableFailureStaysPendingWithTheBackoffAndTheProvidersWords() {
        failChange = new DnsException("namecheap: HTTP 503", true);
        change(true, 4);

        applier.apply(15L);

        assertThat(providerCalls).containsExactly("take 15", "add 192.0.2.7 to cdn.example.com");
        assertThat(updates).containsExactly(new Update(15L, "pending", 5, 32, "namecheap: HTTP 503"));
    }

    @Test
    void aFailureTheOperatorMustFixWaitsFiveMinutesEvenOnTheFirstAttempt() {
        failChange = new DnsException("namecheap: API key invalid (error 1011102)", false);
        change(false, 0);

        applier.apply(16L);

        assertThat(updates)
                .containsExactly(new Update(16L, "pending", 1, 300, "namecheap: API key invalid (error 1011102)"));
    }

    @Test
    void aFailedReadBackIsAFailedAttemptToo() {
        failRead = new DnsException("rfc2136: timeout", true);
        change(true, 0);

        applier.apply(17L);

        assertThat(zone).containsExactly(ADDRESS); // the change itself went through
        assertThat(updates).containsExactly(new Update(17L, "pending", 1, 2, "rfc2136: timeout"));
    }

    @Test
    void anUnexpectedErrorOfTheProviderWaitsFiveMinutesWithItsMessage() {
        failChange = new IllegalArgumentException("not an IPv4 literal: 192.0.2.777");
        change(true, 6);

        applier.apply(18L);

        assertThat(updates).containsExactly(new Update(18L, "pending", 7, 300, "not an IPv4 literal: 192.0.2.777"));
    }

    @Test
    void anUnexpectedErrorWithoutAMessageIsRecordedAsNull() {
        failChange = new NullPointerException();
        change(true, 0);

        applier.apply(19L);

        assertThat(updates).containsExactly(new Update(19L, "pending", 1, 300, "null"));
    }

    @Test
    void retriesCountUpAndBackOffUntilTheChangeIsConfirmed() {
        failChange = new DnsException("cloudflare: HTTP 429", true);
        List<Integer> waits = new ArrayList<>();
        int attempts = 0;
        for (int i = 0; i < 10; i++) {
            change(true, attempts);
            applier.apply(20L);
            Update last = updates.get(updates.size() - 1);
            attempts = last.attempts();
            waits.add(last.waitSeconds());
        }
        failChange = null;
        change(true, attempts);
        applier.apply(20L);

        assertThat(waits).containsExactly(2, 4, 8, 16, 32, 64, 128, 256, 300, 300);
        assertThat(updates.get(updates.size() - 1)).isEqualTo(new Update(20L, "confirmed", 11, 0, ""));
    }

    @Test
    void aProviderTheOperatorMustConfigureSaysWhyInTheChange() {
        change(true, 0);
        applier.providers = new DnsProviders() {
            @Override
            public synchronized DnsProvider provider() {
                throw new IllegalStateException("the namecheap DNS provider needs pomf.witness.dns.namecheap.api-key");
            }
        };

        applier.apply(7L);

        assertThat(updates)
                .containsExactly(new Update(
                        7L, "pending", 1, 300, "the namecheap DNS provider needs pomf.witness.dns.namecheap.api-key"));
    }
}
