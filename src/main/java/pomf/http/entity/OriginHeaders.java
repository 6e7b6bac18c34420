package pomf.http.entity;

/**
 * Headers the origin adds so that an edge can trust what it says. A 404 is only the origin's word that a file does
 * not exist when it carries {@link #UNKNOWN_FILE}: a Payara still deploying the application, a proxy or a load
 * balancer answer 404 to everything, and an edge that believed them would throw away its whole cache.
 */
public final class OriginHeaders {
    public static final String UNKNOWN_FILE = "X-Pomf-Unknown-File";

    /**
     * On a 307 to an edge's fetch: this link is served by the origin only (it has a download limit, counted there),
     * so the edge sends its client to the {@code Location} rather than caching the bytes.
     */
    public static final String ORIGIN_ONLY = "X-Pomf-Origin-Only";

    /**
     * The query a {@link #ORIGIN_ONLY} redirect adds to the file's URL: an instance that is origin and edge at once
     * lets such a request past its own cache to its file servlet (else it would redirect its clients to itself).
     */
    public static final String ORIGIN_QUERY = "origin";

    private OriginHeaders() {}
}
