package pomf.it.origin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * How {@link TestOrigin} answers one request. The answer is decided when the request arrives (so the counters are
 * exact at once, even while a fault holds the answer back); faults then delay, slow, stall or cut its delivery.
 * Ranges and conditionals follow FileServlet, the real origin: one range only, anything else is served whole.
 */
final class TestOriginExchange implements HttpHandler {
    private static final int CHUNK = 64 * 1024;

    /** The answer before faults: status, headers, and which bytes of which body. */
    private record Answer(int status, Headers headers, TestOriginObject.Body body, long start, long length) {
        static Answer text(int status, String text) {
            Headers headers = new Headers();
            headers.add("Content-Type", "text/plain; charset=UTF-8");
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            return new Answer(status, headers, new TestOriginObject.Bytes(bytes), 0, bytes.length);
        }
    }

    /** The connection is to be cut: thrown out of the handler, it makes HttpServer close the connection. */
    private static final class Dropped extends IOException {
        Dropped() {
            super("connection dropped by the test origin");
        }
    }

    private final TestOrigin origin;
    private final BooleanSupplier open;

    TestOriginExchange(TestOrigin origin, BooleanSupplier open) {
        this.origin = origin;
        this.open = open;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            respond(exchange);
        } catch (InterruptedException e) {
            // The origin stopped: the exchange is abandoned and its connection closed below.
            Thread.currentThread().interrupt();
        } finally {
            // When a body was cut short this throws, which is what makes HttpServer close the connection.
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange) throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Headers request = exchange.getRequestHeaders();
        TestOriginObject object = origin.object(path);
        TestOriginCounters.Path counters = origin.arrived(method, path, request);
        TestOriginFaults.Effective faults =
                TestOriginFaults.resolve(object == null ? null : object.faults(), origin.faults());
        Answer answer = decide(method, object, faults, request);
        if (method.equals("GET") && answer.status == 200 && object != null && answer.length == answer.body.size()) {
            counters.fullFetches.incrementAndGet();
        }
        if (!origin.awaitAnswerable(object, open)
                || !origin.sleep(faults.delayHeaders().toNanos(), open)) {
            return;
        }
        exchange.getResponseHeaders().putAll(answer.headers);
        boolean head = method.equals("HEAD");
        if (answer.status == 304) {
            exchange.sendResponseHeaders(304, -1);
        } else if (head) {
            // HttpServer wants -1 for HEAD and leaves Content-Length to us: announce what GET would send.
            exchange.getResponseHeaders().set("Content-Length", Long.toString(answer.length));
            exchange.sendResponseHeaders(answer.status, -1);
        } else {
            // 0 would mean chunked to HttpServer; -1 means an empty fixed-length body.
            exchange.sendResponseHeaders(answer.status, answer.length == 0 ? -1 : answer.length);
            writeBody(exchange.getResponseBody(), answer, faults, counters);
        }
    }

    private Answer decide(String method, TestOriginObject object, TestOriginFaults.Effective faults, Headers request) {
        if (faults.failWith() != 0) {
            return Answer.text(faults.failWith(), faults.failWith() + " from the test origin\n");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Answer answer = Answer.text(405, "405 Method Not Allowed\n");
            answer.headers.add("Allow", "GET, HEAD");
            return answer;
        }
        if (object == null) {
            // As the real origin says it: a 404 without this header is some other server's, not the origin's word.
            Answer answer = Answer.text(404, "404 Not Found\n");
            answer.headers.add(pomf.http.entity.OriginHeaders.UNKNOWN_FILE, "1");
            return answer;
        }
        TestOriginObject.Version version = object.version();
        long size = version.body().size();
        Headers headers = new Headers();
        if (version.etag() != null) {
            headers.add("ETag", version.etag());
        }
        if (version.lastModified() != null) {
            headers.add("Last-Modified", TestOriginRules.httpDate(version.lastModified()));
        }
        object.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
        if (TestOriginRules.notModified(version, request)) {
            return new Answer(304, headers, version.body(), 0, 0);
        }
        headers.add("Content-Type", object.contentType());
        if (!object.acceptsRanges()) {
            return new Answer(200, headers, version.body(), 0, size);
        }
        headers.add("Accept-Ranges", "bytes");
        String range =
                TestOriginRules.rangeApplies(version, request.getFirst("If-Range")) ? request.getFirst("Range") : null;
        long[] span = TestOriginRules.span(range, size);
        if (span == null) {
            return new Answer(200, headers, version.body(), 0, size);
        }
        if (span.length == 0) {
            headers.add("Content-Range", "bytes */" + size);
            return new Answer(416, headers, version.body(), 0, 0);
        }
        headers.add("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size);
        return new Answer(206, headers, version.body(), span[0], span[1] - span[0] + 1);
    }

    /**
     * Writes the body through the faults: cut after dropAfter bytes, one stall at pauseAfter bytes, and a pace of
     * throttle bytes per second kept against a deadline so small pieces do not add up to a slower rate.
     */
    private void writeBody(
            OutputStream out, Answer answer, TestOriginFaults.Effective faults, TestOriginCounters.Path counters)
            throws IOException, InterruptedException {
        long throttle = faults.throttle();
        TestOriginFaults.Pause pause = faults.pauseAfter();
        long drop = faults.dropAfter();
        byte[] buffer = new byte
                [(int) Math.min(
                        throttle > 0 ? Math.max(1, Math.min(CHUNK, throttle / 50)) : CHUNK,
                        Math.max(1, answer.length))];
        long began = System.nanoTime();
        long sent = 0;
        while (sent < answer.length) {
            if (drop >= 0 && sent >= drop) {
                out.flush();
                throw new Dropped();
            }
            if (pause != null && sent >= pause.bytes()) {
                out.flush();
                if (!origin.sleep(pause.duration().toNanos(), open)) {
                    throw new Dropped();
                }
                began += pause.duration().toNanos();
                pause = null;
            }
            long n = Math.min(buffer.length, answer.length - sent);
            if (drop >= 0) {
                n = Math.min(n, drop - sent);
            }
            if (pause != null) {
                n = Math.min(n, pause.bytes() - sent);
            }
            answer.body.copy(answer.start + sent, buffer, 0, (int) n);
            // Counted before the write: the client may have the bytes (and the test may read the count) before
            // write() returns here. A write that fails takes its count back.
            counters.bytesSent.addAndGet(n);
            try {
                out.write(buffer, 0, (int) n);
            } catch (IOException e) {
                counters.bytesSent.addAndGet(-n);
                throw e;
            }
            sent += n;
            if (throttle > 0) {
                out.flush();
                long due = began + (long) (sent * 1e9 / throttle);
                if (!origin.sleep(due - System.nanoTime(), open)) {
                    throw new Dropped();
                }
            }
        }
    }
}
