package pomf.it.origin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One file a {@link TestOrigin} serves, and the handle a test uses to change how it is served. The handle stays valid
 * when {@link TestOrigin#put} replaces the body (its settings and faults are kept, its validators change) and is dead
 * after {@link TestOrigin#remove}.
 */
public final class TestOriginObject {
    /** Body, ETag and Last-Modified change together, so one request always sees one consistent version. */
    record Version(Body body, String etag, Instant lastModified) {}

    /** Where body bytes come from: memory, or computed from the position for objects too large to hold. */
    interface Body {
        long size();

        void copy(long position, byte[] into, int offset, int length);
    }

    record Bytes(byte[] bytes) implements Body {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public void copy(long position, byte[] into, int offset, int length) {
            System.arraycopy(bytes, Math.toIntExact(position), into, offset, length);
        }
    }

    /** Computed bytes; another salt gives other bytes at every offset, so two versions never share a chunk. */
    record Generated(long size, long salt) implements Body {
        Generated(long size) {
            this(size, 0);
        }

        @Override
        public void copy(long position, byte[] into, int offset, int length) {
            for (int i = 0; i < length; i++) {
                into[offset + i] = TestOrigin.generatedByte(position + i, salt);
            }
        }
    }

    private final String path;
    private final int id;
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicReference<Version> version = new AtomicReference<>();
    private final TestOriginFaults faults;
    private final List<Map.Entry<String, String>> headers = new CopyOnWriteArrayList<>();
    private volatile String contentType = "application/octet-stream";
    private volatile boolean acceptRanges = true;

    TestOriginObject(String path, int id, Body body, Runnable faultsChanged) {
        this.path = path;
        this.id = id;
        this.faults = new TestOriginFaults(faultsChanged);
        replace(body);
    }

    /** A new body gets a new strong ETag and a Last-Modified at least one second later than the old one. */
    void replace(Body body) {
        String etag = "\"v" + generation.incrementAndGet() + "-" + id + "\"";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        version.updateAndGet(old -> {
            Instant modified = old == null || old.lastModified() == null || now.isAfter(old.lastModified())
                    ? now
                    : old.lastModified().plusSeconds(1);
            return new Version(body, etag, modified);
        });
    }

    Version version() {
        return version.get();
    }

    TestOriginFaults faults() {
        return faults;
    }

    List<Map.Entry<String, String>> headers() {
        return List.copyOf(headers);
    }

    boolean acceptsRanges() {
        return acceptRanges;
    }

    public String path() {
        return path;
    }

    public long size() {
        return version().body().size();
    }

    /** The quoted ETag sent now, or null when turned off. */
    public String etag() {
        return version().etag();
    }

    /** The Last-Modified sent now (whole seconds), or null when turned off. */
    public Instant lastModified() {
        return version().lastModified();
    }

    public String contentType() {
        return contentType;
    }

    /** The current body from {@code from}, {@code length} bytes long. */
    public byte[] bytes(long from, int length) {
        byte[] out = new byte[length];
        version().body().copy(from, out, 0, length);
        return out;
    }

    public byte[] bytes() {
        return bytes(0, Math.toIntExact(size()));
    }

    /** Replaces the ETag until the next put; null sends none (an origin without validators). */
    public TestOriginObject etag(String etag) {
        version.updateAndGet(v -> new Version(v.body(), etag, v.lastModified()));
        return this;
    }

    /** Replaces Last-Modified (truncated to seconds, as HTTP dates are); null sends none. */
    public TestOriginObject lastModified(Instant modified) {
        Instant seconds = modified == null ? null : modified.truncatedTo(ChronoUnit.SECONDS);
        version.updateAndGet(v -> new Version(v.body(), v.etag(), seconds));
        return this;
    }

    public TestOriginObject contentType(String type) {
        this.contentType = Objects.requireNonNull(type);
        return this;
    }

    /** Adds a response header sent on 200, 206 and 304 (Set-Cookie, Cache-Control: no-store, Expires...). */
    public TestOriginObject header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    public TestOriginObject clearHeaders() {
        headers.clear();
        return this;
    }

    /** Off: no Accept-Ranges header and Range is ignored (200, whole body), as origins without range support do. */
    public TestOriginObject acceptRanges(boolean on) {
        this.acceptRanges = on;
        return this;
    }

    /** @see TestOriginFaults#delayHeaders(Duration) */
    public TestOriginObject delayHeaders(Duration delay) {
        faults.delayHeaders(delay);
        return this;
    }

    /** @see TestOriginFaults#throttle(long) */
    public TestOriginObject throttle(long bytesPerSecond) {
        faults.throttle(bytesPerSecond);
        return this;
    }

    /** @see TestOriginFaults#pauseAfter(long, Duration) */
    public TestOriginObject pauseAfter(long bytes, Duration pause) {
        faults.pauseAfter(bytes, pause);
        return this;
    }

    /** @see TestOriginFaults#failWith(int) */
    public TestOriginObject failWith(int status) {
        faults.failWith(status);
        return this;
    }

    /** @see TestOriginFaults#dropAfter(long) */
    public TestOriginObject dropAfter(long bytes) {
        faults.dropAfter(bytes);
        return this;
    }

    /** @see TestOriginFaults#blackHole(boolean) */
    public TestOriginObject blackHole(boolean on) {
        faults.blackHole(on);
        return this;
    }

    /** Forgets this object's own faults; the origin's still apply. */
    public TestOriginObject clearFaults() {
        faults.clear();
        return this;
    }
}
