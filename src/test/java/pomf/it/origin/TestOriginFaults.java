package pomf.it.origin;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Fault settings of a {@link TestOrigin}: one set for the whole origin and one per object. A setting left unset on an
 * object falls back to the origin's, so a test can break one file while the others stay healthy, or the reverse.
 * Settings may change while requests are in flight; a black-holed request notices at once, the other faults apply to
 * requests that arrive afterwards.
 */
public final class TestOriginFaults {
    /** A stall of {@code duration} after {@code bytes} body bytes of a response. */
    public record Pause(long bytes, Duration duration) {}

    /** Null means "not set here": the object falls back to the origin, the origin to no fault. */
    private record Settings(
            Duration delayHeaders,
            Long throttle,
            Pause pauseAfter,
            Integer failWith,
            Long dropAfter,
            Boolean blackHole) {
        static final Settings NONE = new Settings(null, null, null, null, null, null);
    }

    /** The faults one request meets, resolved from an object's and the origin's settings when it arrives. */
    record Effective(
            Duration delayHeaders, long throttle, Pause pauseAfter, int failWith, long dropAfter, boolean blackHole) {}

    private final AtomicReference<Settings> settings = new AtomicReference<>(Settings.NONE);
    /** Wakes requests held by a black hole, so that clearing it answers them. */
    private final Runnable changed;

    TestOriginFaults(Runnable changed) {
        this.changed = changed;
    }

    /** Sleep this long before sending the status line (a slow origin: connect works, the answer does not come). */
    public void delayHeaders(Duration delay) {
        update(s -> new Settings(
                Objects.requireNonNull(delay), s.throttle, s.pauseAfter, s.failWith, s.dropAfter, s.blackHole));
    }

    /** Send bodies at about this rate, in small pieces with sleeps; 0 sends at full speed. */
    public void throttle(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bytesPerSecond < 0");
        }
        update(s -> new Settings(s.delayHeaders, bytesPerSecond, s.pauseAfter, s.failWith, s.dropAfter, s.blackHole));
    }

    /** Stall once for {@code pause} after {@code bytes} bytes of each response body (a read timeout mid-body). */
    public void pauseAfter(long bytes, Duration pause) {
        Pause p = new Pause(bytes, Objects.requireNonNull(pause));
        update(s -> new Settings(s.delayHeaders, s.throttle, p, s.failWith, s.dropAfter, s.blackHole));
    }

    /** Answer every request with this error status (400-599) and a small text body; 0 answers normally. */
    public void failWith(int status) {
        if (status != 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status " + status);
        }
        update(s -> new Settings(s.delayHeaders, s.throttle, s.pauseAfter, status, s.dropAfter, s.blackHole));
    }

    /** Close the connection after {@code bytes} body bytes, short of the announced Content-Length; -1 never. */
    public void dropAfter(long bytes) {
        update(s -> new Settings(s.delayHeaders, s.throttle, s.pauseAfter, s.failWith, bytes, s.blackHole));
    }

    /** Read requests but never answer them, until this is cleared or the origin stops. */
    public void blackHole(boolean on) {
        update(s -> new Settings(s.delayHeaders, s.throttle, s.pauseAfter, s.failWith, s.dropAfter, on));
    }

    /** Forget every fault set here (an object then follows the origin's faults again). */
    public void clear() {
        update(s -> Settings.NONE);
    }

    private void update(UnaryOperator<Settings> change) {
        settings.updateAndGet(change);
        changed.run();
    }

    /** Whether a request for this object (or for no object) is currently black-holed. */
    static boolean blackHoled(TestOriginFaults object, TestOriginFaults origin) {
        return resolve(object, origin).blackHole;
    }

    static Effective resolve(TestOriginFaults object, TestOriginFaults origin) {
        Settings o = object == null ? Settings.NONE : object.settings.get();
        Settings g = origin.settings.get();
        return new Effective(
                first(o.delayHeaders, g.delayHeaders, Duration.ZERO),
                first(o.throttle, g.throttle, 0L),
                first(o.pauseAfter, g.pauseAfter, null),
                first(o.failWith, g.failWith, 0),
                first(o.dropAfter, g.dropAfter, -1L),
                first(o.blackHole, g.blackHole, false));
    }

    private static <T> T first(T own, T inherited, T none) {
        return own != null ? own : inherited != null ? inherited : none;
    }
}
