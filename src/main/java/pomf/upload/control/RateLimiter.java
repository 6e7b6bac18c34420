package pomf.upload.control;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code perMinute} uploads a minute on average, bursts up to {@code burst}.
 * Idle buckets are dropped, so memory follows the number of recent clients.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute, int burst) {
        this.perNano = perMinute / 60e9;
        this.burst = Math.max(1, burst);
    }

    /** Takes one token; returns 0 when allowed, otherwise the seconds to wait. */
    public long acquire(String client, long nowNanos) {
        if (buckets.size() > 100_000) {
            evictIdle(nowNanos);
        }
        long[] wait = new long[1];
        buckets.compute(client, (k, b) -> {
            Bucket bucket = b == null ? new Bucket(burst, nowNanos) : b.refill(nowNanos, perNano, burst);
            if (bucket.tokens >= 1) {
                return new Bucket(bucket.tokens - 1, nowNanos);
            }
            wait[0] = (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9);
            return bucket;
        });
        return wait[0];
    }

    /** Addresses with a bucket (for tests). */
    int clients() {
        return buckets.size();
    }

    void evictIdle(long nowNanos) {
        buckets.entrySet().removeIf(e -> e.getValue().refill(nowNanos, perNano, burst).tokens >= burst);
    }

    private record Bucket(double tokens, long at) {
        Bucket refill(long now, double perNano, double burst) {
            return new Bucket(Math.min(burst, tokens + (now - at) * perNano), now);
        }
    }
}
