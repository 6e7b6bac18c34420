package pomf.storage.entity;

/**
 * Headers the origin adds so that an edge can trust what it says. A 404 is only the origin's word that a file does
 * not exist when it carries {@link #UNKNOWN_FILE}: a Payara still deploying the application, a proxy or a load
 * balancer answer 404 to everything, and an edge that believed them would throw away its whole cache.
 */
public final class OriginHeaders {
    public static final String UNKNOWN_FILE = "X-Pomf-Unknown-File";

    private OriginHeaders() {}
}
