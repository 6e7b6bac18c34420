package pomf.edge.control;

import pomf.edge.entity.CacheStatus;
import pomf.edge.entity.CachedObject;

/**
 * What the edge answers a request with: an object to serve from the cache with a status, a pass-through to the
 * origin (below min uses), or an error status when there is neither a copy nor an origin.
 */
public record Answer(CacheStatus status, CachedObject object, boolean passThrough, int errorStatus) {

    static Answer serve(CacheStatus status, CachedObject object) {
        return new Answer(status, object, false, 0);
    }

    static Answer proxied() {
        return new Answer(CacheStatus.MISS, null, true, 0);
    }

    /** The store is off (its disk failed): straight to the origin. */
    static Answer bypass() {
        return new Answer(CacheStatus.BYPASS, null, true, 0);
    }

    static Answer error(CacheStatus status, int httpStatus) {
        return new Answer(status, null, false, httpStatus);
    }
}
