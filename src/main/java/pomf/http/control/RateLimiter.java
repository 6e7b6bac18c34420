package pomf.http.control;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per client address: {@code perMinute} uploads a minute on average, bursts up to {@code burst}.
 * At most {@value #CLIENTS} addresses are remembered, the one seen longest ago forgotten first (it starts again with
 * a full bucket): memory and the cost of a call stay the same however many addresses a client has (an IPv6 /64 is
 * 2^64 of them). A waiting client is forgiven only once that many other addresses came after it, which a client
 * holding them could have used itself anyway.
 */
public final class RateLimiter {
    static final int CLIENTS = 100_000;

    private final double perNano;
    private final double burst;
    // One lock for all: a call is an upload or a login, each costing far more than a map lookup under it.
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > CLIENTS;
        }
    };

    public RateLimiter(int perMinute, int burst) {
        this(perMinute / 60e9, burst);
    }

    private RateLimiter(double perNano, int burst) {
        this.perNano = perNano;
        this.burst = Math.max(1, burst);
    }

    /** {@code perHour} on average, bursts up to {@code burst}: for rarer acts than uploads (reports from the public). */
    public static RateLimiter perHour(int perHour, int burst) {
        return new RateLimiter(Math.max(1, perHour) / 3600e9, burst);
    }

    /** Takes one token; returns 0 when allowed, otherwise the seconds to wait. */
    public long acquire(String client, long nowNanos) {
        synchronized (buckets) {
            Bucket known = buckets.get(client);
            Bucket bucket = known == null ? new Bucket(burst, nowNanos) : known.refill(nowNanos, perNano, burst);
            if (bucket.tokens >= 1) {
                buckets.put(client, new Bucket(bucket.tokens - 1, nowNanos));
                return 0;
            }
            buckets.put(client, bucket);
            return (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9);
        }
    }

    /** The seconds until {@code client} has a token again, without taking one: 0 when it has one now. */
    public long waitSeconds(String client, long nowNanos) {
        synchronized (buckets) {
            Bucket known = buckets.get(client);
            if (known == null) {
                return 0;
            }
            Bucket bucket = known.refill(nowNanos, perNano, burst);
            return bucket.tokens >= 1 ? 0 : (long) Math.ceil((1 - bucket.tokens) / perNano / 1e9);
        }
    }

    /** Addresses with a bucket (for tests). */
    int clients() {
        synchronized (buckets) {
            return buckets.size();
        }
    }

    private record Bucket(double tokens, long at) {
        Bucket refill(long now, double perNano, double burst) {
            return new Bucket(Math.min(burst, tokens + (now - at) * perNano), now);
        }
    }
}
