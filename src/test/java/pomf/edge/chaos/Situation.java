package pomf.edge.chaos;

/**
 * What is going on now, to label each request when it is sent: the edge's configuration phase, the fault the origin
 * is under, and the edge's state (ready, killed and starting, restarting after a clean stop, just ready).
 */
final class Situation {
    /** How long after readiness answers count as "just ready" (issue 19 saw wrong answers 1-5 s after it). */
    static final long JUST_READY_NANOS = 10_000_000_000L;

    /** The labels of one request. */
    record Label(String phase, String fault, String edge) {}

    private volatile String phase = "-";
    private volatile String fault = "calm";
    private volatile String edge = "not started";
    private volatile long readyAt;

    void phase(String name) {
        phase = name;
    }

    void fault(String name) {
        fault = name;
    }

    /** The edge is down or starting (not ready): {@code why} says how it went down. */
    void edgeDown(String why) {
        edge = why;
    }

    void edgeReady() {
        readyAt = System.nanoTime();
        edge = "ready";
    }

    boolean edgeReadyNow() {
        return edge.equals("ready");
    }

    Label now() {
        String state = edge;
        if (state.equals("ready") && System.nanoTime() - readyAt < JUST_READY_NANOS) {
            state = "ready, first 10 s";
        }
        return new Label(phase, fault, state);
    }
}
