package pomf.edge.control;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import pomf.edge.entity.CachedObject;

/**
 * proxy_cache_revalidate: an expired object is checked with a conditional HEAD (If-None-Match, If-Modified-Since).
 * A 304, or the same ETag, renews it without moving the body; another ETag is a new version. One check per
 * object at a time; everyone else shares its outcome or is answered stale meanwhile.
 */
public final class Revalidation {
    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> running = new ConcurrentHashMap<>();
    private final OriginClient origin;
    private final long validMillis;

    public Revalidation(OriginClient origin, long validMillis) {
        this.origin = origin;
        this.validMillis = validMillis;
    }

    public CompletableFuture<Outcome> running(String name) {
        return running.get(name);
    }

    public CompletableFuture<Outcome> run(CachedObject object) {
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> other = running.putIfAbsent(object.name(), mine);
        if (other != null) {
            return other;
        }
        try {
            mine.complete(check(object));
        } finally {
            running.remove(object.name(), mine);
        }
        return mine;
    }

    private Outcome check(CachedObject object) {
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
            if (status == 404 || status == 410) {
                return new Outcome(Kind.GONE, null, null);
            }
            return new Outcome(Kind.FAILED, null, status >= 500 ? "http_" + status : "error");
        } catch (SocketTimeoutException e) {
            return new Outcome(Kind.FAILED, null, "timeout");
        } catch (IOException e) {
            return new Outcome(Kind.FAILED, null, "error");
        }
    }

    public enum Kind {
        NOT_MODIFIED,
        CHANGED,
        GONE,
        FAILED
    }

    /** The result of one check; {@code situation} names the proxy_cache_use_stale case of a failure. */
    public record Outcome(Kind kind, CachedObject object, String situation) {}
}
