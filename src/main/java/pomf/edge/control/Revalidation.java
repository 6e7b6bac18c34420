package pomf.edge.control;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import pomf.edge.entity.CachedObject;

/**
 * proxy_cache_revalidate: an expired object is checked with a conditional HEAD (If-None-Match, If-Modified-Since).
 * A 304, or the same ETag, renews it without moving the body; another ETag is a new version; the origin's own 404
 * means the file is gone. Anything else is a failure, answered with the stale copy.
 */
public final class Revalidation {
    private final OriginClient origin;
    private final long validMillis;

    public Revalidation(OriginClient origin, long validMillis) {
        this.origin = origin;
        this.validMillis = validMillis;
    }

    /** One conditional request for an expired object; the caller runs it once per object at a time. */
    public Outcome check(CachedObject object) {
        Map<String, String> conditions = new LinkedHashMap<>();
        conditions.put("If-None-Match", object.etag());
        if (!object.lastModified().isEmpty()) {
            conditions.put("If-Modified-Since", object.lastModified());
        }
        long now = System.currentTimeMillis();
        try (OriginClient.Response response = origin.get(object.name(), "HEAD", conditions)) {
            int status = response.status();
            String etag = response.header("ETag");
            if (status == 304 || (status == 200 && object.etag().equals(etag))) {
                return new Outcome(Kind.NOT_MODIFIED, object.renewed(now, validMillis), null);
            }
            if (status == 200) {
                CachedObject changed = new CachedObject(
                        object.name(),
                        etag == null ? "\"\"" : etag,
                        response.header("Last-Modified") == null ? "" : response.header("Last-Modified"),
                        response.totalSize(),
                        object.chunkSize(),
                        response.keptHeaders(),
                        now,
                        now + validMillis);
                return new Outcome(Kind.CHANGED, changed, null);
            }
            if (response.unknownFile()) {
                return new Outcome(Kind.GONE, null, null);
            }
            if (status == EdgeCache.UNAVAILABLE_FOR_LEGAL_REASONS) {
                return new Outcome(Kind.TAKEN_DOWN, null, null); // never served stale: its content is banned
            }
            if (response.foreignNotFound()) {
                return new Outcome(Kind.FAILED, null, StaleCase.ERROR); // not the origin speaking: keep the copy
            }
            return new Outcome(Kind.FAILED, null, StaleCase.ofStatus(status));
        } catch (SocketTimeoutException e) {
            return new Outcome(Kind.FAILED, null, StaleCase.TIMEOUT);
        } catch (IOException e) {
            return new Outcome(Kind.FAILED, null, StaleCase.ERROR);
        }
    }

    public enum Kind {
        NOT_MODIFIED,
        CHANGED,
        GONE,
        /** The origin answered 451: the content is banned. */
        TAKEN_DOWN,
        FAILED
    }

    /**
     * The result of one check; {@code situation} is the proxy_cache_use_stale case of a failure (null for a 5xx that
     * nginx has no case for).
     */
    public record Outcome(Kind kind, CachedObject object, StaleCase situation) {}
}
