package pomf.witness.control;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The small file the witness fetches through every node each tick ({@code pomf.witness.canary}), with what the
 * registry says its bytes are.
 *
 * @param name the stored name, served at {@code /f/<name>}
 * @param sha256 the registry's SHA-256 of its bytes, lowercase hex
 * @param size its length in bytes
 */
public record Canary(String name, String sha256, long size) {
    /** A canary is fetched through every node by every witness each tick: beyond this it is no longer small. */
    public static final long MAX_SIZE = 1 << 20;

    /** The canary's URL on the node checked at {@code checkUrl}: same scheme, host and port, path {@code /f/<name>}. */
    public URI url(URI checkUrl) {
        try {
            return new URI(
                    checkUrl.getScheme(), null, checkUrl.getHost(), checkUrl.getPort(), "/f/" + name, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no canary URL for " + checkUrl + " and " + name, e);
        }
    }
}
