package pomf.storage.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chunks that {@link ContentSink}s fill, shared by every upload: an upload holds one only while bytes are
 * arriving or being hashed, so hundreds of slow uploads waiting for their clients cost no chunk each, and fast
 * ones reuse the same few instead of making new ones. At most {@code keep} idle chunks are kept.
 */
@ApplicationScoped
public class ChunkPool {
    public static final int CHUNK = 256 * 1024;
    private static final int KEEP = 64;

    private final ArrayBlockingQueue<byte[]> idle;
    private final AtomicLong made = new AtomicLong();

    public ChunkPool() {
        this(KEEP);
    }

    public ChunkPool(int keep) {
        idle = new ArrayBlockingQueue<>(keep);
    }

    public byte[] take() {
        byte[] chunk = idle.poll();
        if (chunk != null) {
            return chunk;
        }
        made.incrementAndGet();
        return new byte[CHUNK];
    }

    public void give(byte[] chunk) {
        idle.offer(chunk);
    }

    /** How many chunks were ever allocated: a pool that works keeps this near the number of busy uploads. */
    public long made() {
        return made.get();
    }
}
