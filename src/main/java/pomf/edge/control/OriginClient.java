package pomf.edge.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import pomf.http.control.EdgeLink;
import pomf.http.entity.OriginHeaders;

/**
 * Requests to the origin. {@link HttpURLConnection} because its read timeout is nginx's proxy_read_timeout: the
 * longest wait between two reads, not a deadline for the whole response. Keep-alive connections are pooled by
 * the JDK.
 */
public final class OriginClient {
    /** Headers kept with a cached object and sent with every answer from the cache (passed through, too). */
    public static final List<String> KEPT = List.of(
            "Content-Type",
            "ETag",
            "Last-Modified",
            "Cache-Control",
            "Content-Disposition",
            "Content-Security-Policy",
            "X-Content-Type-Options",
            "Content-Language");

    private static final Set<String> KEPT_LOWER =
            KEPT.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    private final String base;
    private final int connectTimeout;
    private final int readTimeout;
    private final String fetchToken;
    private final OriginLanes lanes;

    public OriginClient(String base, int connectTimeoutMillis, int readTimeoutMillis) {
        this(base, connectTimeoutMillis, readTimeoutMillis, null, null);
    }

    /**
     * With {@code fetchToken} (may be null: no token, no marker) proving the edge's fetches, and the {@code lanes}
     * (may be null: none) each request waits its head in.
     */
    public OriginClient(
            String base, int connectTimeoutMillis, int readTimeoutMillis, String fetchToken, OriginLanes lanes) {
        this.base = base;
        this.connectTimeout = connectTimeoutMillis;
        this.readTimeout = readTimeoutMillis;
        this.fetchToken = fetchToken;
        this.lanes = lanes;
    }

    /** Opens a GET (or HEAD) of a file; the caller reads and closes. */
    public Response get(String name, String method, Map<String, String> headers) throws IOException {
        URL url = URI.create(base + "/f/" + name).toURL();
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(connectTimeout);
        connection.setReadTimeout(readTimeout);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        if (fetchToken != null) {
            connection.setRequestProperty(EdgeLink.FETCH_HEADER, fetchToken);
        }
        headers.forEach(connection::setRequestProperty);
        if (lanes == null) {
            return new Response(connection, connection.getResponseCode());
        }
        try {
            lanes.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("waiting for a lane to the origin");
        }
        try {
            return new Response(connection, connection.getResponseCode());
        } finally {
            lanes.release();
        }
    }

    /** Whether the origin answers at all (the breaker's probe). */
    public boolean reachable() {
        try {
            URL url = URI.create(base + "/health/live").toURL();
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            connection.setConnectTimeout(connectTimeout);
            connection.setReadTimeout(Math.min(readTimeout, 5000));
            int status = connection.getResponseCode();
            // Any answer below 500 means the origin is there, but not a 404 the origin did not vouch for (a Payara
            // still deploying the application answers 404 to everything); the body is not needed.
            boolean vouched = status != 404 || connection.getHeaderField(OriginHeaders.UNKNOWN_FILE) != null;
            connection.disconnect();
            return status < 500 && vouched;
        } catch (IOException e) {
            return false;
        }
    }

    /** The origin answered, but not with the bytes asked for (another status, another version). */
    public static final class Refusal extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final boolean originFault;

        public Refusal(int status, boolean originFault, String message) {
            super(message);
            this.status = status;
            this.originFault = originFault;
        }

        public int status() {
            return status;
        }

        /** Whether it counts against the origin (a 5xx, a 404 it did not vouch for), not just about the file. */
        public boolean originFault() {
            return originFault;
        }
    }

    /** An origin answer: status, the headers worth keeping, and the body stream. */
    public static final class Response implements AutoCloseable {
        private final HttpURLConnection connection;
        private final int status;

        Response(HttpURLConnection connection, int status) {
            this.connection = connection;
            this.status = status;
        }

        public int status() {
            return status;
        }

        public String header(String name) {
            return connection.getHeaderField(name);
        }

        /**
         * Whether this is the origin saying the file does not exist (404 or 410 with its {@link
         * OriginHeaders#UNKNOWN_FILE} header), as opposed to any other 404 on the way (a server still starting).
         */
        public boolean unknownFile() {
            return (status == 404 || status == 410) && header(OriginHeaders.UNKNOWN_FILE) != null;
        }

        /** A 404 or 410 the origin did not vouch for: a failure of the origin, not an answer about the file. */
        public boolean foreignNotFound() {
            return (status == 404 || status == 410) && !unknownFile();
        }

        /** Headers to store with the object: end-to-end ones only, never Set-Cookie or hop-by-hop headers. */
        public Map<String, String> keptHeaders() {
            Map<String, String> kept = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> h :
                    connection.getHeaderFields().entrySet()) {
                if (h.getKey() != null
                        && KEPT_LOWER.contains(h.getKey().toLowerCase(Locale.ROOT))
                        && !h.getValue().isEmpty()) {
                    kept.put(h.getKey(), h.getValue().get(0));
                }
            }
            return kept;
        }

        /** The total size from {@code Content-Range: bytes a-b/total}, or from Content-Length for a 200. */
        public long totalSize() {
            String range = header("Content-Range");
            if (range != null && range.contains("/")) {
                return Long.parseLong(range.substring(range.indexOf('/') + 1).trim());
            }
            return connection.getContentLengthLong();
        }

        public InputStream body() throws IOException {
            return status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        }

        @Override
        public void close() {
            try {
                InputStream in = body();
                if (in != null) {
                    in.close();
                }
            } catch (IOException e) {
                connection.disconnect();
            }
        }

        /** Gives up the connection instead of returning it to the pool (after a partial read). */
        public void abort() {
            connection.disconnect();
        }
    }
}
