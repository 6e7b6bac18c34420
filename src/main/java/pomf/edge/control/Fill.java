package pomf.edge.control;

import java.io.IOException;

/**
 * One chunk being fetched from the origin. Every request that needs the chunk reads from here as bytes arrive
 * (read-while-writing, like Varnish's waiting list), so there is one origin fetch however many wait and however
 * slow the origin is. The chunk reaches the store only when complete.
 */
public final class Fill {
    private final byte[] buffer;
    private int length;
    private boolean done;
    private IOException failure;

    public Fill(int expectedLength) {
        this.buffer = new byte[expectedLength];
    }

    public int capacity() {
        return buffer.length;
    }

    public synchronized void append(byte[] bytes, int offset, int count) {
        int n = Math.min(count, buffer.length - length);
        System.arraycopy(bytes, offset, buffer, length, n);
        length += n;
        notifyAll();
    }

    public synchronized boolean full() {
        return length == buffer.length;
    }

    public synchronized void complete() {
        done = true;
        notifyAll();
    }

    public synchronized void fail(IOException cause) {
        failure = cause;
        done = true;
        notifyAll();
    }

    /** The finished chunk (only valid after a successful, complete fill). */
    public synchronized byte[] bytes() {
        return buffer;
    }

    public synchronized boolean succeeded() {
        return done && failure == null && length == buffer.length;
    }

    /**
     * Copies bytes from {@code position} on into {@code target} as soon as any are there.
     *
     * @return the number copied; -1 when the chunk ended before {@code position}
     * @throws IOException when the fetch failed before reaching {@code position}
     */
    public synchronized int read(int position, byte[] target, int offset, int max, long timeoutMillis)
            throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (length <= position && !done) {
            long wait = deadline - System.currentTimeMillis();
            if (wait <= 0) {
                throw new IOException("no bytes from the origin within " + timeoutMillis + " ms");
            }
            try {
                wait(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the origin", e);
            }
        }
        if (length > position) {
            int n = Math.min(max, length - position);
            System.arraycopy(buffer, position, target, offset, n);
            return n;
        }
        if (failure != null) {
            throw new IOException("origin fetch failed: " + failure.getMessage(), failure);
        }
        return -1;
    }
}
