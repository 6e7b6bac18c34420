package pomf.edge.boundary;

import java.io.IOException;
import java.util.Map;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.Header;
import pomf.delivery.boundary.ListenerFront;
import pomf.edge.control.EdgeCache;
import pomf.edge.control.OriginClient;
import pomf.edge.entity.CacheStatus;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;
import pomf.names.control.StoredNames;
import pomf.traffic.control.TrafficRecorder;

/**
 * The edge's most common answer, given at the listener ({@link ListenerFront}): a plain GET or HEAD of a fresh object
 * of at most {@link CachedResponse#DIRECT_LIMIT} bytes whose one chunk is stored. Its answer is the servlet path's,
 * byte for byte (status, the object's headers, {@code Accept-Ranges}, {@code X-Content-Type-Options},
 * {@code X-Cache-Status: HIT}, the body), and it is counted and recorded the same way. Anything else (a range, a
 * condition, an expired or missing or larger object, an edge fetch) is left to {@link EdgeCacheFilter} untouched.
 */
final class FastHits implements ListenerFront.Door {
    private final EdgeCache cache;
    private final TrafficRecorder records;
    /** The application's context path followed by {@code /f}: what comes after it is the path info. */
    private final String prefix;

    FastHits(EdgeCache cache, TrafficRecorder records, String contextPath) {
        this.cache = cache;
        this.records = records;
        this.prefix = contextPath + "/f";
    }

    @Override
    public boolean answer(Request request, Response response) throws IOException {
        Method method = request.getMethod();
        boolean get = Method.GET.equals(method);
        if (!get && !Method.HEAD.equals(method)) {
            return false;
        }
        String uri = request.getRequestURI();
        if (uri == null || !uri.startsWith(prefix) || uri.length() <= prefix.length() + 1) {
            return false;
        }
        String name = StoredNames.fromPath(uri.substring(prefix.length()));
        if (name == null
                || request.getHeader(Header.Range) != null
                || request.getHeader(Header.IfNoneMatch) != null
                || request.getHeader(Header.IfModifiedSince) != null
                || request.getHeader(Header.IfRange) != null
                || request.getHeader(OriginClient.FETCH_HEADER) != null) {
            return false;
        }
        CachedObject object = cache.freshHit(name);
        if (object == null || object.size() > CachedResponse.DIRECT_LIMIT || object.chunkCount() != 1) {
            return false;
        }
        Chunk chunk = object.size() == 0 ? null : cache.filler().stored(object, 0);
        if (chunk == null && object.size() > 0) {
            return false;
        }
        response.setStatus(200);
        for (Map.Entry<String, String> h : object.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        response.setHeader(Header.AcceptRanges, "bytes");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Cache-Status", "HIT");
        response.setContentLengthLong(object.size());
        cache.counters().answered(CacheStatus.HIT);
        cache.counters().answeredAtListener();
        long sent = get ? object.size() : 0;
        records.edge(200, sent, CacheStatus.HIT, name);
        if (sent > 0) {
            cache.counters().fromCache(sent);
            try {
                response.getOutputBuffer().write(chunk.bytes(), 0, (int) sent);
            } catch (IOException e) {
                // the client has gone; the answer was counted as the servlet path counts it (all it was promised)
            }
        }
        return true;
    }
}
