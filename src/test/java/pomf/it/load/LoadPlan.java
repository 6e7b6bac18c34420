package pomf.it.load;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * What {@link LoadClients} does: resolve {@code host} at {@code dns} (again once {@code resolveEvery} has passed, like
 * a client honouring a short TTL), send requests to {@code port} of the resolved addresses from {@code threads}
 * threads at {@code ratePerSecond} (0: as fast as they can), a {@code rangeShare} of them with a Range header, files
 * drawn with Zipf {@code exponent}; it ends after {@code duration} or {@code maxRequests} (0: no limit), whichever
 * comes first. Request i draws from {@code new Random(seed + i)}, so a run's choices do not depend on the threads.
 */
public record LoadPlan(
        String host,
        InetSocketAddress dns,
        int port,
        int threads,
        double exponent,
        double rangeShare,
        double ratePerSecond,
        Duration duration,
        long maxRequests,
        Duration resolveEvery,
        long seed) {
    public LoadPlan {
        if (threads < 1 || threads > 512) {
            throw new IllegalArgumentException("threads must be 1..512, not " + threads);
        }
        if (rangeShare < 0 || rangeShare > 1) {
            throw new IllegalArgumentException("rangeShare must be 0..1, not " + rangeShare);
        }
        if (exponent < 0 || ratePerSecond < 0 || maxRequests < 0) {
            throw new IllegalArgumentException("exponent, rate and maxRequests cannot be negative");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the duration bounds every run and must be positive");
        }
    }

    /** A plan with defaults for the rest: as fast as possible, re-resolving every second, a fixed seed. */
    public static LoadPlan of(
            String host, InetSocketAddress dns, int port, int threads, double rangeShare, Duration duration) {
        return new LoadPlan(host, dns, port, threads, 1.0, rangeShare, 0, duration, 0, Duration.ofSeconds(1), 20240601);
    }

    public LoadPlan withMaxRequests(long max) {
        return new LoadPlan(
                host, dns, port, threads, exponent, rangeShare, ratePerSecond, duration, max, resolveEvery, seed);
    }
}
