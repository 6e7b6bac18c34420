package pomf.storage.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chunks that {@link ContentSink}s fill, shared by every upload: an upload holds one only while bytes are
 * arriving or being hashed, so hundreds of slow uploads waiting for their clients cost no chunk each, and fast
 * ones reuse the same few instead of making new ones. At most {@code keep} idle chunks are kept, and at most a
 * few wait for the hashing pool, whatever the number of uploads.
 */
@ApplicationScoped
public class ChunkPool {
    public static final int CHUNK = 256 * 1024;
    private static final int KEEP = 64;
    /** Chunks waiting for or being hashed on the pool, all uploads together: beyond, writers hash themselves. */
    private static final int HASHING = 16;

    private final ArrayBlockingQueue<byte[]> idle;
    private final AtomicLong made = new AtomicLong();
    private final AtomicInteger hashing = new AtomicInteger();
    private final int hashingLimit;

    public ChunkPool() {
        this(KEEP, HASHING);
    }

    public ChunkPool(int keep, int hashingLimit) {
        this.idle = new ArrayBlockingQueue<>(keep);
        this.hashingLimit = hashingLimit;
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

    /** Claims a place for one chunk on the hashing pool; false when the pool is that far behind. */
    public boolean reserveHashing() {
        if (hashing.incrementAndGet() > hashingLimit) {
            hashing.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A chunk that had a place on the hashing pool was hashed. */
    public void hashed() {
        hashing.decrementAndGet();
    }

    /** How many chunks were ever allocated: a pool that works keeps this near the number of busy uploads. */
    public long made() {
        return made.get();
    }
}
