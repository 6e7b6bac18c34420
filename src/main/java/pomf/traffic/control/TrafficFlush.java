package pomf.traffic.control;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import pomf.traffic.entity.Batch;

/**
 * One flush: the tally drained into new batches at the end of the pending queue, then pending batches written oldest
 * first until one fails (it stays for the next flush). A failing sink is reported once when it starts failing and
 * once when it recovers, not at every flush. The timer and the shutdown hook never write at the same time.
 */
public final class TrafficFlush {
    private static final Logger LOG = Logger.getLogger(TrafficFlush.class.getName());

    private final Tally tally;
    private final PendingBatches pending;
    private final String node;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean failing;

    public TrafficFlush(Tally tally, PendingBatches pending, String node) {
        this.tally = tally;
        this.pending = pending;
        this.node = node;
    }

    public PendingBatches pending() {
        return pending;
    }

    /** Drains and writes; gives up waiting for a running flush after {@code waitMillis}. @return batches left */
    public int run(BatchSink sink, long nowMillis, long waitMillis) {
        try {
            if (!lock.tryLock(waitMillis, TimeUnit.MILLISECONDS)) {
                return pending.size();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return pending.size();
        }
        try {
            Tally.Drained drained = tally.drain(nowMillis);
            pending.add(Batch.of(node, drained.minutes(), drained.files()));
            writePending(sink);
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    private void writePending(BatchSink sink) {
        for (Optional<Batch> next = pending.oldest(); next.isPresent(); next = pending.oldest()) {
            Batch batch = next.get();
            try {
                sink.write(batch);
                pending.written(batch);
                if (failing) {
                    failing = false;
                    LOG.info(() -> "traffic records are written again; " + pending.size() + " batch(es) still pending");
                }
            } catch (BatchSink.RejectedBatch e) {
                pending.rejected(batch);
                LOG.warning(() -> "traffic batch dropped: " + e.getMessage());
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                pending.failed();
                if (!failing) {
                    failing = true;
                    LOG.warning(
                            "traffic records cannot be written (" + e + "); they are kept and retried at every flush");
                }
                return;
            }
        }
    }
}
