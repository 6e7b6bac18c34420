package pomf.edge.control;

import java.util.concurrent.CompletableFuture;
import pomf.edge.entity.CachedObject;
import pomf.traffic.entity.CacheStatus;

/**
 * What the edge answers a request with: an object to serve from the cache with a status, a pass-through to the
 * origin (below min uses), an error status when there is neither a copy nor an origin, or, while the origin is
 * asked (a miss, a revalidation), one of those later.
 */
public record Answer(
        CacheStatus status,
        CachedObject object,
        boolean passThrough,
        int errorStatus,
        CompletableFuture<Answer> later,
        String location) {

    static Answer serve(CacheStatus status, CachedObject object) {
        return new Answer(status, object, false, 0, null, null);
    }

    static Answer proxied() {
        return new Answer(CacheStatus.MISS, null, true, 0, null, null);
    }

    /** The store is off (its disk failed): straight to the origin. */
    static Answer bypass() {
        return new Answer(CacheStatus.BYPASS, null, true, 0, null, null);
    }

    static Answer error(CacheStatus status, int httpStatus) {
        return new Answer(status, null, false, httpStatus, null, null);
    }

    /** A link the origin serves itself (a download limit): 307 to {@code location}, nothing cached. */
    static Answer redirect(String location) {
        return new Answer(CacheStatus.BYPASS, null, false, 307, null, location);
    }

    /** What a request is answered when deciding failed unexpectedly. */
    public static Answer failed() {
        return new Answer(CacheStatus.MISS, null, false, 502, null, null);
    }

    static Answer pending(CompletableFuture<Answer> later) {
        return new Answer(null, null, false, 0, later, null);
    }

    public boolean pending() {
        return later != null;
    }
}
