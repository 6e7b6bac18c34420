package pomf.rehearsal;

import java.time.Duration;
import java.util.Set;
import pomf.it.servers.Bind;

/** Asks BIND for the edges' record every 100 ms until an address has left it or come back, and times that. */
final class DnsWatch {
    private final Bind bind;

    DnsWatch(Bind bind) {
        this.bind = bind;
    }

    /** Seconds from {@code sinceNanos} until {@code address} is (or is not) in the record; -1 past the timeout. */
    double until(String address, boolean present, long sinceNanos, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (answer().contains(address) == present) {
                return (System.nanoTime() - sinceNanos) / 1e9;
            }
            Thread.sleep(100);
        }
        return -1;
    }

    Set<String> answer() {
        try {
            return bind.query(Stage.RECORD);
        } catch (RuntimeException e) {
            return Set.of(); // a lookup that failed now is asked again on the next poll
        }
    }
}
