package pomf.edge.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import pomf.caps.boundary.Hold;
import pomf.delivery.boundary.Deliveries;
import pomf.delivery.control.Sent;
import pomf.delivery.control.Taken;
import pomf.edge.control.ChunkBody;
import pomf.edge.control.EdgeCache;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;
import pomf.http.control.ByteRange;
import pomf.http.control.Conditional;
import pomf.traffic.control.TrafficRecorder;

/**
 * Writes an answer from a cached object: validators and 304s, ranges (206/416) whatever the origin advertised
 * (proxy_force_ranges), and the body. A small body whose chunk is in memory is written at once (it fits the socket's
 * buffer, so nothing waits); any other goes out without a thread ({@link AsyncBody}), from the store or from a fill
 * as its bytes arrive.
 */
final class CachedResponse {
    /** Bodies up to this size, already stored, are written by the request's thread in one write. */
    static final int DIRECT_LIMIT = 64 * 1024;

    private final EdgeCache cache;
    private final Deliveries deliveries;
    private final TrafficRecorder records;

    CachedResponse(EdgeCache cache, Deliveries deliveries, TrafficRecorder records) {
        this.cache = cache;
        this.deliveries = deliveries;
        this.records = records;
    }

    /**
     * Sends the answer; returns its status and the body bytes written now: a body that goes on after this returns
     * records what it took when it ends (as the origin counts them: a client that leaves early took less). The request may have turned asynchronous: then the body completes it (or this
     * method does, when there is no body).
     */
    Sent send(CachedObject object, HttpServletRequest request, HttpServletResponse response, boolean body)
            throws IOException {
        for (Map.Entry<String, String> h : object.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String ifNoneMatch = request.getHeader("If-None-Match");
        String ifModifiedSince = request.getHeader("If-Modified-Since");
        String range = request.getHeader("Range");
        Conditional conditional = ifNoneMatch != null || ifModifiedSince != null || range != null
                ? new Conditional(object.etag(), modifiedMillis(object.lastModified()))
                : null;
        if (conditional != null) {
            long since = object.lastModified().isEmpty() ? -1 : dateHeader(request, "If-Modified-Since");
            if (conditional.notModified(ifNoneMatch, since)) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return finish(request, HttpServletResponse.SC_NOT_MODIFIED, 0);
            }
            if (range != null && !conditional.rangeApplies(request.getHeader("If-Range"))) {
                range = null;
            }
        }
        long start = 0;
        long length = object.size();
        int status = HttpServletResponse.SC_OK;
        if (range != null) {
            ByteRange.Outcome outcome = ByteRange.evaluate(range, object.size());
            if (outcome instanceof ByteRange.Unsatisfiable) {
                response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
                response.setHeader("Content-Range", "bytes */" + object.size());
                response.setContentLength(0);
                return finish(request, HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE, 0);
            }
            if (outcome instanceof ByteRange.Partial partial) {
                start = partial.range().start();
                length = partial.range().length();
                status = HttpServletResponse.SC_PARTIAL_CONTENT;
                response.setStatus(status);
                response.setHeader(
                        "Content-Range",
                        "bytes " + start + "-" + partial.range().end() + "/" + object.size());
            }
        }
        response.setContentLengthLong(length);
        if (!body || length == 0) {
            return finish(request, status, 0);
        }
        Sent sent = new Sent(status, length);
        if (length <= DIRECT_LIMIT && !request.isAsyncStarted() && direct(object, start, (int) length, response)) {
            return sent;
        }
        String file = status < 400 ? object.name() : null;
        deliveries.send(
                request,
                response,
                new Taken(
                        new ChunkBody(object, start + length - 1, cache.filler(), cache.counters()),
                        start,
                        n -> records.sent(true, n, file)),
                start,
                length,
                cache.wakeups(),
                true);
        return new Sent(status, 0);
    }

    /** Writes a small body from its stored chunk at once; false when the chunk is not in the store. */
    private boolean direct(CachedObject object, long start, int length, HttpServletResponse response)
            throws IOException {
        int index = (int) (start / object.chunkSize());
        int offset = (int) (start - object.chunkStart(index));
        Chunk chunk =
                offset + length <= object.chunkLength(index) ? cache.filler().stored(object, index) : null;
        if (chunk == null) {
            return false;
        }
        response.getOutputStream().write(chunk.bytes(), offset, length);
        cache.counters().fromCache(length);
        return true;
    }

    private static Sent finish(HttpServletRequest request, int status, long sent) {
        if (request.isAsyncStarted()) {
            Hold.complete(request.getAsyncContext());
        }
        return new Sent(status, sent);
    }

    private static long modifiedMillis(String lastModified) {
        if (lastModified.isEmpty()) {
            return Long.MIN_VALUE;
        }
        try {
            return ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    private static long dateHeader(HttpServletRequest request, String name) {
        try {
            return request.getDateHeader(name);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
