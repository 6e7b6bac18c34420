package pomf.traffic.control;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import pomf.traffic.entity.Batch;

/**
 * Batches not yet written, oldest first, at most {@code max}. When full the oldest is dropped (counted, and logged
 * once per outage) rather than merged: a merged batch would grow past the ingest limits, and merging the head (which
 * may have been written before its answer was lost) into a batch with another id could count it twice.
 */
public final class PendingBatches {
    private static final Logger LOG = Logger.getLogger(PendingBatches.class.getName());

    private final ArrayDeque<Batch> queue = new ArrayDeque<>();
    private final int max;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private boolean droppingLogged;

    public PendingBatches(int max) {
        this.max = max;
    }

    public synchronized void add(List<Batch> batches) {
        for (Batch batch : batches) {
            if (queue.size() >= max) {
                queue.removeFirst();
                dropped.incrementAndGet();
                if (!droppingLogged) {
                    droppingLogged = true;
                    LOG.warning(() -> max + " traffic batches are pending: the oldest are dropped from now on,"
                            + " losing their records (see pomf_traffic_batches_dropped)");
                }
            }
            queue.addLast(batch);
        }
    }

    public synchronized Optional<Batch> oldest() {
        return Optional.ofNullable(queue.peekFirst());
    }

    /** The oldest batch is written (or already was): it leaves the queue. */
    public synchronized void written(Batch batch) {
        if (queue.peekFirst() == batch) {
            queue.removeFirst();
        }
        written.incrementAndGet();
        droppingLogged = false;
    }

    /** The oldest batch was refused for its content: retrying it could never succeed. */
    public synchronized void rejected(Batch batch) {
        if (queue.peekFirst() == batch) {
            queue.removeFirst();
        }
        dropped.incrementAndGet();
    }

    public void failed() {
        failed.incrementAndGet();
    }

    public synchronized int size() {
        return queue.size();
    }

    public long writtenCount() {
        return written.get();
    }

    public long failedCount() {
        return failed.get();
    }

    public long droppedCount() {
        return dropped.get();
    }
}
