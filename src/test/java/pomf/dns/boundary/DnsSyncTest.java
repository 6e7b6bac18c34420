package pomf.dns.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.dns.control.DnsSql;

/** Which changes a sync hands the applier, with {@link DnsSql} and {@link DnsChangeApplier} replaced by subclasses. */
class DnsSyncTest {
    private final DnsSync sync = new DnsSync();
    private final List<Long> applied = new ArrayList<>();
    private List<Long> due = List.of();
    private long stuck = -1;
    private RuntimeException unreadable;

    @BeforeEach
    void wire() {
        sync.sql = new DnsSql() {
            @Override
            public List<Long> dueChanges() {
                if (unreadable != null) {
                    throw unreadable;
                }
                return due;
            }

            @Override
            public Optional<OpenChange> takeChange(long id) {
                throw new AssertionError("the sync takes no change itself");
            }

            @Override
            public void updateChange(long id, String state, int attempts, int waitSeconds, String error) {
                throw new AssertionError("the sync updates no change itself");
            }
        };
        sync.applier = new DnsChangeApplier() {
            @Override
            public void apply(long id) {
                if (id == stuck) {
                    throw new IllegalStateException("change " + id + " could not be recorded");
                }
                applied.add(id);
            }
        };
    }

    @Test
    void everyDueChangeIsAppliedOnceInTheOrderRead() {
        due = List.of(3L, 8L, 21L);

        sync.run();

        assertThat(applied).containsExactly(3L, 8L, 21L);
    }

    @Test
    void nothingDueAppliesNothing() {
        sync.run();

        assertThat(applied).isEmpty();
    }

    @Test
    void anUnreadableQueueIsLoggedAndLeftForTheNextTick() {
        due = List.of(1L);
        unreadable = new IllegalStateException("connection refused");

        sync.run(); // does not throw: the witness tick goes on

        assertThat(applied).isEmpty();

        unreadable = null;
        sync.run();
        assertThat(applied).containsExactly(1L);
    }

    @Test
    void oneStuckChangeDoesNotHoldTheOthers() {
        due = List.of(1L, 2L);
        stuck = 1L;

        sync.run(); // does not throw: the witness tick goes on

        assertThat(applied).containsExactly(2L);
    }
}
