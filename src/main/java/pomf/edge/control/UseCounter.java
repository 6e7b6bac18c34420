package pomf.edge.control;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * proxy_cache_min_uses: how often each uncached name was asked for, in a fixed amount of memory whatever names
 * clients make up. nginx keeps a node per name; a map like that grows with every random name (each one that 404s
 * too), so here names share a count-min sketch instead: {@value #ROWS} rows of byte counters, a name counting once
 * in one counter of each row, its count being the smallest of them. Names that share a counter can only make each
 * other look asked for more often, never less: at worst an object is stored a use early (harmless, min uses only
 * keeps one-off objects out of the store), and a name asked {@code threshold} times always reaches it. A call costs
 * a hash of the name and {@value #ROWS} counters, whatever was asked before; the counters are updated by CAS, so
 * requests on many threads lose no count and never wait for each other.
 *
 * <p>Counts expire by generation and, as nginx's, are renewed by each request: each window (the inactive time)
 * counts into a fresh sketch while the last window's is still read, and a name's count moves into the fresh one on
 * its next request. A name asked again within a window keeps its count however long it goes on; one left alone for two
 * windows starts again (between one and two, it may still count). Counters stop at the threshold, so a min-uses
 * above 127 counts as 127.
 */
public final class UseCounter {
    /** Names a window is sized for unless told otherwise: 8 MB of counters in all. */
    public static final int DEFAULT_NAMES = 1_000_000;

    private static final int ROWS = 4;
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(byte[].class);

    private final int threshold;
    private final long windowMillis;
    private final int width;
    // Which names share counters cannot be planned from outside (though sharing only ever makes a name count early).
    private final long seed = ThreadLocalRandom.current().nextLong();
    private volatile Generations generations = new Generations(Long.MIN_VALUE, null, null);

    /** This window's counters and the last one's (null when that window counted nothing). */
    private record Generations(long window, byte[] current, byte[] previous) {}

    public UseCounter(int threshold, long windowMillis) {
        this(threshold, windowMillis, DEFAULT_NAMES);
    }

    /**
     * @param names distinct names a window is sized for (8 bytes each, allocated on the first count): with a fifth as
     *     many, about 1 in 100 names asked once is taken for one asked twice; with a tenth, 1 in 1,000
     */
    public UseCounter(int threshold, long windowMillis, int names) {
        this.threshold = Math.min(threshold, Byte.MAX_VALUE);
        // Not below a second: a fresh sketch every few milliseconds would cost more than the counting.
        this.windowMillis = Math.max(1000, windowMillis);
        this.width = Math.min(Integer.MAX_VALUE / ROWS, Math.max(1024, names));
    }

    /** Counts one request; true once the name has been asked for {@code threshold} times. */
    public boolean reached(String name, long nowMillis) {
        if (threshold <= 1) {
            return true;
        }
        Generations g = generations(Math.floorDiv(nowMillis, windowMillis));
        long hash = hash(name);
        for (int row = 0; row < ROWS; row++) {
            add(g, cell(hash, row));
        }
        // Read after every row is added to: of requests racing for one name, the last to add sees all of them.
        int count = Byte.MAX_VALUE;
        for (int row = 0; row < ROWS; row++) {
            count = Math.min(count, (byte) COUNTER.getVolatile(g.current(), cell(hash, row)));
        }
        return count >= threshold;
    }

    /**
     * Starts the name's count again (it was purged). Its counters go back to zero, so a name sharing one of them is
     * at worst asked once more than min uses before it is stored: purges are rare, and 4 in some million counters.
     */
    public void forget(String name) {
        if (threshold <= 1) {
            return;
        }
        Generations g = generations;
        long hash = hash(name);
        clear(g.current(), hash);
        clear(g.previous(), hash);
    }

    private void clear(byte[] counters, long hash) {
        for (int row = 0; counters != null && row < ROWS; row++) {
            COUNTER.setVolatile(counters, cell(hash, row), (byte) 0);
        }
    }

    /** What the counters take on the heap (for tests): fixed by the size, whatever was asked. */
    long retainedBytes() {
        Generations g = generations;
        return (g.current() == null ? 0 : g.current().length) + (g.previous() == null ? 0 : g.previous().length);
    }

    /** One more use in a counter, on top of what the last window counted there, up to the threshold. */
    private void add(Generations g, int cell) {
        int before = g.previous() == null ? 0 : (byte) COUNTER.getVolatile(g.previous(), cell);
        while (true) {
            byte now = (byte) COUNTER.getVolatile(g.current(), cell);
            int next = Math.min(threshold, Math.max(now, before) + 1);
            if (next <= now || COUNTER.compareAndSet(g.current(), cell, now, (byte) next)) {
                return;
            }
        }
    }

    /** The counters for {@code window}: a new window gets a fresh sketch and keeps the last one's to read. */
    private Generations generations(long window) {
        Generations g = generations;
        if (g.window() >= window) {
            return g; // also when the clock went back: counting goes on in the newest
        }
        synchronized (this) {
            g = generations;
            if (g.window() < window) {
                g = new Generations(window, new byte[ROWS * width], g.window() == window - 1 ? g.current() : null);
                generations = g;
            }
            return g;
        }
    }

    /** The name's counter in {@code row} (two halves of one hash, Kirsch and Mitzenmacher's double hashing). */
    private int cell(long hash, int row) {
        int h = (int) hash + row * (int) (hash >>> 32);
        return row * width + (int) (((h & 0xFFFF_FFFFL) * width) >>> 32);
    }

    private long hash(String name) {
        long h = seed;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x9E37_79B9_7F4A_7C15L;
        }
        // MurmurHash3's finaliser: every bit of the name reaches every bit of the hash.
        h = (h ^ (h >>> 33)) * 0xFF51_AFD7_ED55_8CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CE_B9FE_1A85_EC53L;
        return h ^ (h >>> 33);
    }
}
