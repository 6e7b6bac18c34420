package pomf.edge.control;

import java.util.concurrent.ConcurrentHashMap;

/**
 * proxy_cache_min_uses: how often each uncached name was asked for, in memory. A count older than the inactive
 * window starts again, as nginx renews the window on each request.
 */
public final class UseCounter {
    private final ConcurrentHashMap<String, long[]> uses = new ConcurrentHashMap<>();
    private final int threshold;
    private final long windowMillis;

    public UseCounter(int threshold, long windowMillis) {
        this.threshold = threshold;
        this.windowMillis = windowMillis;
    }

    /** Counts one request; true once the name has been asked for {@code threshold} times. */
    public boolean reached(String name, long nowMillis) {
        if (threshold <= 1) {
            return true;
        }
        long[] state = uses.compute(name, (k, v) -> {
            if (v == null || nowMillis - v[1] > windowMillis) {
                return new long[] {1, nowMillis};
            }
            return new long[] {v[0] + 1, nowMillis};
        });
        if (uses.size() > 1_000_000) {
            uses.entrySet().removeIf(e -> nowMillis - e.getValue()[1] > windowMillis);
        }
        return state[0] >= threshold;
    }

    public void forget(String name) {
        uses.remove(name);
    }

    /** Roughly what the counts keep on the heap (for tests): each name's characters and ~112 bytes of objects. */
    long retainedBytes() {
        long bytes = 0;
        for (String name : uses.keySet()) {
            bytes += name.length() + 112;
        }
        return bytes;
    }
}
