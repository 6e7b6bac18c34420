package pomf.traffic.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import pomf.roles.control.Roles;
import pomf.traffic.entity.CacheStatus;

/**
 * What the request path calls: adds an answer to the in-memory tally and returns. Off on an edge-only instance with
 * no traffic token (it could never hand its records over, so it keeps none).
 */
@ApplicationScoped
public class TrafficRecorder {
    public static final String ORIGIN = "origin";
    public static final String EDGE = "edge";

    @Inject
    Roles roles;

    @Inject
    TrafficSettings settings;

    private final Tally tally = new Tally();
    private boolean on;

    @PostConstruct
    void decide() {
        on = roles.usesDatabase() || settings.token().isPresent();
    }

    /** The bean itself rather than its client proxy, for the request path to call directly. */
    public TrafficRecorder instance() {
        return this;
    }

    public boolean on() {
        return on;
    }

    public Tally tally() {
        return tally;
    }

    /** An answer of the origin's file servlet; {@code file} is the stored name, or null when none was found. */
    public void origin(int status, long bytes, String file) {
        if (on) {
            tally.answered(ORIGIN, System.currentTimeMillis(), status, bytes, null, file);
        }
    }

    /** An answer of the edge with its cache status (null when the request never reached the cache). */
    public void edge(int status, long bytes, CacheStatus cache, String file) {
        if (on) {
            tally.answered(EDGE, System.currentTimeMillis(), status, bytes, cache, file);
        }
    }

    /** The bytes a long answer took, when it ended (its request was recorded with none). */
    public void sent(boolean edge, long bytes, String file) {
        if (on && bytes > 0) {
            tally.sent(edge ? EDGE : ORIGIN, System.currentTimeMillis(), bytes, file);
        }
    }

    public void edgeFromOrigin(long bytes) {
        if (on) {
            tally.fromOrigin(EDGE, System.currentTimeMillis(), bytes);
        }
    }
}
