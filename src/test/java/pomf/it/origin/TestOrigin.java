package pomf.it.origin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * An HTTP/1.1 origin the test controls, standing in for the real {@code GET /f/{name}} of FileServlet behind an edge
 * cache: objects with strong ETags and Last-Modified, single byte ranges, conditional requests, and faults (slow
 * headers, slow or stalled or cut bodies, error statuses, a black hole, a stopped server) that can change while
 * requests are in flight. It counts what reaches it so a test can assert how often the edge went to the origin.
 *
 * <p>Binds 127.0.0.1 only. Objects live in memory, or are generated from the position ({@link #generatedByte}) so a
 * 1 GiB object costs nothing.
 */
public final class TestOrigin implements AutoCloseable {
    /** Enough for hundreds of parked requests (black hole, delays) without refusing the next connection. */
    private static final int BACKLOG = 1024;

    private final Map<String, TestOriginObject> objects = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** Every wait of every request (black hole, delays, throttle) waits here, so stop and fault changes wake them. */
    private final Object monitor = new Object();

    private final TestOriginFaults faults = new TestOriginFaults(this::signal);
    private final TestOriginCounters counters = new TestOriginCounters();
    private volatile int port;
    private Listener listener;

    private TestOrigin() {}

    /** Starts on a free port. */
    public static TestOrigin start() {
        return start(0);
    }

    public static TestOrigin start(int port) {
        TestOrigin origin = new TestOrigin();
        origin.port = port;
        origin.restart();
        return origin;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public URI uri(String path) {
        return URI.create(url() + path);
    }

    /**
     * Closes the listening socket and every connection: connecting is refused until {@link #restart()}. Requests in
     * flight or held by faults are abandoned (their clients see the connection close). Objects, faults and counters
     * are kept.
     */
    public synchronized void stop() {
        if (listener != null) {
            listener.close();
            listener = null;
            signal();
        }
    }

    /** Listens again on the same port (stopping first if running), as an origin that was restarted. */
    public synchronized void restart() {
        stop();
        listener = new Listener(bind(port), this);
        port = listener.server.getAddress().getPort();
    }

    public synchronized boolean running() {
        return listener != null;
    }

    @Override
    public void close() {
        stop();
    }

    /** Serves (or replaces: new ETag, later Last-Modified, same settings) {@code path}, e.g. {@code /f/abc.png}. */
    public TestOriginObject put(String path, byte[] body) {
        return put(path, new TestOriginObject.Bytes(body.clone()));
    }

    /** Serves {@code size} bytes computed from the position; see {@link #generatedByte(long)}. */
    public TestOriginObject putGenerated(String path, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
        return put(path, new TestOriginObject.Generated(size));
    }

    /**
     * Serves {@code size} computed bytes of their own: each salt makes another body (see {@link #generatedByte(long,
     * long)}), so a new version of a large object costs no memory and differs from the old one at every offset.
     */
    public TestOriginObject putGenerated(String path, long size, long salt) {
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
        return put(path, new TestOriginObject.Generated(size, salt));
    }

    private TestOriginObject put(String path, TestOriginObject.Body body) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        return objects.compute(path, (p, old) -> {
            if (old == null) {
                return new TestOriginObject(p, ids.incrementAndGet(), body, this::signal);
            }
            old.replace(body);
            return old;
        });
    }

    /** The object at {@code path}, or null. */
    public TestOriginObject object(String path) {
        return objects.get(path);
    }

    /** Removes {@code path}: 404 from the next request on. */
    public void remove(String path) {
        objects.remove(path);
        signal();
    }

    // Faults of the whole origin; an object's own settings win over these. See TestOriginFaults.

    public TestOrigin delayHeaders(Duration delay) {
        faults.delayHeaders(delay);
        return this;
    }

    public TestOrigin throttle(long bytesPerSecond) {
        faults.throttle(bytesPerSecond);
        return this;
    }

    public TestOrigin pauseAfter(long bytes, Duration pause) {
        faults.pauseAfter(bytes, pause);
        return this;
    }

    public TestOrigin failWith(int status) {
        faults.failWith(status);
        return this;
    }

    public TestOrigin dropAfter(long bytes) {
        faults.dropAfter(bytes);
        return this;
    }

    public TestOrigin blackHole(boolean on) {
        faults.blackHole(on);
        return this;
    }

    /** Clears the origin's faults and every object's own. */
    public TestOrigin clearFaults() {
        objects.values().forEach(TestOriginObject::clearFaults);
        faults.clear();
        return this;
    }

    // Observation. Requests are counted when they arrive, before any fault delays them.

    /** GET and HEAD requests for {@code path}, answered or not yet. */
    public int requests(String path) {
        return counters.of(path).requests.get();
    }

    /** GETs answered 200 with the whole body (no Range, or a Range ignored), i.e. full fetches from the origin. */
    public int fullFetches(String path) {
        return counters.of(path).fullFetches.get();
    }

    /** The Range header values of the requests for {@code path}, in arrival order. */
    public List<String> rangeRequests(String path) {
        return List.copyOf(counters.of(path).ranges);
    }

    /** Body bytes written for {@code path} (the counter moves while a body is being sent). */
    public long bytesSent(String path) {
        return counters.of(path).bytesSent.get();
    }

    /** The headers of the last request for {@code path}, names in lower case; empty if none came. */
    public Map<String, String> lastRequestHeaders(String path) {
        return counters.of(path).lastHeaders;
    }

    /** Every request that reached the origin, whatever its method or path. */
    public int totalRequests() {
        return counters.total();
    }

    public void resetCounters() {
        counters.reset();
    }

    /** Byte {@code position} of a generated object: varies with every bit of the position, so an offset error shows. */
    public static byte generatedByte(long position) {
        return generatedByte(position, 0);
    }

    /** Byte {@code position} of the body generated with {@code salt}; salt 0 is {@link #generatedByte(long)}. */
    public static byte generatedByte(long position, long salt) {
        return (byte) (((position ^ salt) * 0x9E3779B97F4A7C15L) >>> 56);
    }

    public static byte[] generated(long from, int length) {
        return generated(from, length, 0);
    }

    public static byte[] generated(long from, int length, long salt) {
        byte[] bytes = new byte[length];
        new TestOriginObject.Generated(from + length, salt).copy(from, bytes, 0, length);
        return bytes;
    }

    // For TestOriginExchange.

    TestOriginFaults faults() {
        return faults;
    }

    TestOriginCounters.Path arrived(String method, String path, Headers headers) {
        return counters.arrived(method, path, headers);
    }

    /** Waits while a request for {@code object} (null: unknown path) is black-holed; false if the listener closed. */
    boolean awaitAnswerable(TestOriginObject object, BooleanSupplier open) throws InterruptedException {
        TestOriginFaults own = object == null ? null : object.faults();
        synchronized (monitor) {
            while (open.getAsBoolean() && TestOriginFaults.blackHoled(own, faults)) {
                monitor.wait(1000);
            }
            return open.getAsBoolean();
        }
    }

    /** Sleeps {@code nanos} unless the listener closes first; false then (the exchange is to be abandoned). */
    boolean sleep(long nanos, BooleanSupplier open) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (monitor) {
            while (open.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
            return false;
        }
    }

    private void signal() {
        synchronized (monitor) {
            monitor.notifyAll();
        }
    }

    /**
     * Binds, retrying briefly: on restart the old socket may take a moment to be released. Bounded to about 3 s so a
     * port taken by someone else fails the test instead of hanging it.
     */
    private static HttpServer bind(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (int attempt = 0; ; attempt++) {
            try {
                return HttpServer.create(address, BACKLOG);
            } catch (BindException e) {
                if (port == 0 || attempt >= 30) {
                    throw new UncheckedIOException(e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One run of the server between start and stop; its requests give up when it closes. */
    private static final class Listener {
        private static final AtomicInteger THREADS = new AtomicInteger();
        final HttpServer server;
        final ExecutorService executor;
        volatile boolean open = true;

        Listener(HttpServer server, TestOrigin origin) {
            this.server = server;
            // Unbounded and daemon: hundreds of requests may be parked at once, and none may keep the JVM alive.
            this.executor = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "test-origin-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.createContext("/", new TestOriginExchange(origin, () -> open));
            server.start();
        }

        void close() {
            open = false;
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
