package pomf.edge.control;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One chunk on its way from the origin. Every answer that needs the chunk reads from here as bytes arrive
 * (read-while-writing, like Varnish's waiting list), so there is one origin fetch however many wait and however
 * slow the origin is. Readers never block: one that is ahead of the bytes leaves a call-back, run when enough more
 * arrived (a few tens of KiB, so a thousand waiters are not woken per network packet), or when the fill ends. The
 * chunk reaches the store only when complete.
 *
 * <p>One writer (the stream fetching it) appends; the filled part of the buffer never changes again, so readers may
 * hand it to sockets without a copy.
 */
public final class Fill implements ChunkSource {
    /** How many more bytes wake a waiting reader (or the end of the chunk, whichever comes first). */
    static final int WAKE_STEP = 32 * 1024;

    private final byte[] buffer;
    /** The chunk's length; the buffer has {@link ChunkSerializer#SEAL} bytes more, where the seal goes on disk. */
    private final int capacity;

    private volatile int length;
    private volatile boolean done;
    private IOException failure;
    private List<Wakeup> waiters;
    private volatile int lowestThreshold = Integer.MAX_VALUE;

    private record Wakeup(int threshold, Runnable wake) {}

    public Fill(int expectedLength) {
        this.buffer = new byte[expectedLength + ChunkSerializer.SEAL];
        this.capacity = expectedLength;
    }

    public int capacity() {
        return capacity;
    }

    /** The bytes so far: those below {@link #length()} are final. */
    public byte[] buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }

    public boolean full() {
        return length == capacity;
    }

    /** Appends what the origin sent; the writer calls this only. */
    public void append(byte[] bytes, int offset, int count) {
        int n = Math.min(count, capacity - length);
        System.arraycopy(bytes, offset, buffer, length, n);
        length += n; // volatile: publishes the bytes copied above
        if (length >= lowestThreshold || length == capacity) {
            wake(false);
        }
    }

    public void complete() {
        done = true;
        wake(true);
    }

    public void fail(IOException cause) {
        synchronized (this) {
            failure = cause;
        }
        done = true;
        wake(true);
    }

    public boolean done() {
        return done;
    }

    /** Why the fill failed, or null (while running, or when it succeeded). */
    public synchronized IOException failure() {
        return failure;
    }

    /**
     * Asks to be called back once bytes past {@code position} arrived, or the fill ended.
     *
     * @return false when that is already so (nothing is registered: read again now)
     */
    public boolean await(int position, Runnable wake) {
        synchronized (this) {
            if (length > position || done) {
                return false;
            }
            int threshold = Math.min(capacity, position + WAKE_STEP);
            if (waiters == null) {
                waiters = new ArrayList<>(4);
            }
            waiters.add(new Wakeup(threshold, wake));
            lowestThreshold = Math.min(lowestThreshold, threshold);
        }
        // The writer may have appended between our check and the registration without seeing it.
        if (length >= lowestThreshold || done) {
            wake(done);
        }
        return true;
    }

    private void wake(boolean all) {
        List<Runnable> due = null;
        synchronized (this) {
            if (waiters == null || waiters.isEmpty()) {
                return;
            }
            int now = length;
            int lowest = Integer.MAX_VALUE;
            List<Wakeup> keep = new ArrayList<>();
            for (Wakeup w : waiters) {
                if (all || done || w.threshold() <= now) {
                    if (due == null) {
                        due = new ArrayList<>();
                    }
                    due.add(w.wake());
                } else {
                    keep.add(w);
                    lowest = Math.min(lowest, w.threshold());
                }
            }
            waiters = keep;
            lowestThreshold = lowest;
        }
        if (due != null) {
            due.forEach(Runnable::run);
        }
    }
}
