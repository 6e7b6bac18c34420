package pomf.edge.control;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A circuit breaker on the origin. After N consecutive failures (refused, timed out, 5xx) it opens: requests stop
 * waiting for a connect timeout each, stale copies are served at once, misses fail fast. A background probe closes
 * it again as soon as the origin answers.
 */
public final class OriginBreaker {
    private static final Logger LOG = Logger.getLogger(OriginBreaker.class.getName());
    private final int threshold;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean open;

    public OriginBreaker(int threshold) {
        this.threshold = threshold;
    }

    public boolean open() {
        return open;
    }

    public void success() {
        failures.set(0);
        if (open) {
            open = false;
            LOG.info("origin answers again: circuit breaker closed");
        }
    }

    public void failure(String why) {
        if (failures.incrementAndGet() >= threshold && !open) {
            open = true;
            LOG.warning(() -> "origin failed " + threshold + " times in a row (" + why
                    + "): circuit breaker open, serving stale copies at once and probing in the background");
        }
    }
}
