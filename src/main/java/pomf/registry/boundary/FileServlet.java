package pomf.registry.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.logging.Logger;
import pomf.caps.boundary.Hold;
import pomf.caps.boundary.InFlightCaps;
import pomf.delivery.boundary.Deliveries;
import pomf.delivery.boundary.NotFoundThrottle;
import pomf.delivery.control.BodySource;
import pomf.delivery.control.Piece;
import pomf.delivery.control.Sent;
import pomf.delivery.control.Taken;
import pomf.http.control.ByteRange;
import pomf.http.control.ClientStream;
import pomf.http.control.Conditional;
import pomf.http.control.EdgeLink;
import pomf.http.control.HttpSettings;
import pomf.http.entity.OriginHeaders;
import pomf.metrics.control.Traffic;
import pomf.names.control.StoredNames;
import pomf.registry.entity.StoredFile;
import pomf.storage.control.BlobStore;
import pomf.storage.control.FileBody;
import pomf.storage.control.SafeContentType;
import pomf.traffic.control.TrafficRecorder;

/**
 * Serves stored files: whole, one byte range, or 304 for a copy the client already has. Stored files never change.
 * Small bodies are written at once; larger ones go out as the client takes them ({@link AsyncBody}), straight from
 * the mapped file, so slow clients hold no thread.
 */
@WebServlet(urlPatterns = "/f/*", asyncSupported = true)
public class FileServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(FileServlet.class.getName());
    static final int UNAVAILABLE_FOR_LEGAL_REASONS = 451;
    private static final long serialVersionUID = 1L;
    /** Bodies up to this size are read and written by the request's thread: they fit the socket's buffer. */
    private static final int DIRECT_LIMIT = 64 * 1024;

    @Inject
    Registry registry;

    @Inject
    BlobStore blobs;

    @Inject
    Traffic traffic;

    @Inject
    TrafficRecorder records;

    @Inject
    Deliveries deliveries;

    @Inject
    NotFoundThrottle throttle;

    @Inject
    InFlightCaps caps;

    @Inject
    EdgeLink link;

    @Inject
    HttpSettings settings;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, true);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, false);
    }

    /**
     * Counts every answer, a failure that the container turns into a 500 (the registry unreachable) included. A
     * large body goes on after {@code serve} returns and may finish on another thread: only its result is read.
     */
    private void answer(HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
        String path = request.getPathInfo();
        if (throttle.refused(request, response)) {
            traffic.served(429, 0);
            records.origin(429, 0, null);
            return;
        }
        Hold hold = caps.answer(request, response);
        if (hold == null) {
            traffic.served(429, 0);
            records.origin(429, 0, null);
            return;
        }
        Sent sent;
        try {
            sent = serve(request, response, body);
        } catch (IOException | RuntimeException e) {
            traffic.served(500, 0);
            records.origin(500, 0, null);
            throw e;
        } finally {
            hold.leave();
        }
        traffic.served(sent.status(), sent.bytes());
        throttle.answered(request, sent.status());
        // File traffic only for stored files: a 404's name is whatever the client typed.
        records.origin(sent.status(), sent.bytes(), sent.status() < 400 ? path.substring(1) : null);
    }

    private Sent serve(HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
        Optional<StoredFile> found = lookup(request.getPathInfo());
        if (found.isEmpty()) {
            notFound(response);
            return new Sent(HttpServletResponse.SC_NOT_FOUND, 0);
        }
        StoredFile file = found.get();
        if (file.isBanned()) {
            takenDown(response);
            return new Sent(UNAVAILABLE_FOR_LEGAL_REASONS, 0);
        }
        boolean limited = file.getMaxDownloads() != null;
        if (limited && link.fetchedByAnEdge(request.getHeader(EdgeLink.FETCH_HEADER))) {
            // Counted here, so served from here: the edge sends its client over instead of caching the bytes.
            response.setStatus(HttpServletResponse.SC_TEMPORARY_REDIRECT);
            response.setHeader(OriginHeaders.ORIGIN_ONLY, "1");
            response.setHeader(
                    "Location", settings.serviceUrl("/f/" + file.getName() + "?" + OriginHeaders.ORIGIN_QUERY));
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(0);
            return new Sent(HttpServletResponse.SC_TEMPORARY_REDIRECT, 0);
        }
        String etag = "\"" + file.getSha256() + "\"";
        long modified = file.getCreatedAt().toInstant(ZoneOffset.UTC).toEpochMilli();
        response.setHeader("ETag", etag);
        response.setDateHeader("Last-Modified", modified);
        // A link with a download limit is counted here: no cache on the way may keep it.
        response.setHeader("Cache-Control", limited ? "private, no-store" : "public, max-age=31536000, immutable");
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader(
                "Content-Security-Policy",
                "default-src 'none'; img-src 'self'; media-src 'self'; " + "style-src 'unsafe-inline'; sandbox");
        Conditional conditional = new Conditional(etag, modified);
        if (conditional.notModified(request.getHeader("If-None-Match"), dateHeader(request, "If-Modified-Since"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return new Sent(HttpServletResponse.SC_NOT_MODIFIED, 0);
        }
        response.setContentType(SafeContentType.of(file.getContentType()));
        if (body && !limited && mayRedirect(request)) {
            Optional<URI> away = redirect(file);
            if (away.isPresent()) {
                // The store carries the bytes (pomf.storage.s3.redirect-above); ranges go to it as they came.
                response.setStatus(HttpServletResponse.SC_FOUND);
                response.setHeader("Location", away.get().toString());
                response.setHeader("Cache-Control", "private, no-store");
                response.setContentLength(0);
                return new Sent(HttpServletResponse.SC_FOUND, 0);
            }
        }
        String range = conditional.rangeApplies(request.getHeader("If-Range")) ? request.getHeader("Range") : null;
        ByteRange.Outcome outcome = ByteRange.evaluate(range, file.getSize());
        long start = 0;
        long length = file.getSize();
        int status = HttpServletResponse.SC_OK;
        if (outcome instanceof ByteRange.Unsatisfiable) {
            response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            response.setHeader("Content-Range", "bytes */" + file.getSize());
            response.setContentLength(0);
            return new Sent(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE, 0);
        }
        if (outcome instanceof ByteRange.Partial partial) {
            start = partial.range().start();
            length = partial.range().length();
            status = HttpServletResponse.SC_PARTIAL_CONTENT;
            response.setStatus(status);
            response.setHeader(
                    "Content-Range", "bytes " + start + "-" + partial.range().end() + "/" + file.getSize());
        }
        if (limited && body && start == 0 && !registry.countDownload(file.getId())) {
            // A download starts at the first byte: whole, or a range from 0 (a player's first request, a download
            // manager's first segment). Further ranges of a download are not counted, and need no count left.
            response.reset();
            notFound(response);
            return new Sent(HttpServletResponse.SC_NOT_FOUND, 0);
        }
        response.setContentLengthLong(length);
        if (body && length > 0) {
            return send(file.getSha256(), status, start, length, request, response);
        }
        return new Sent(status, 0);
    }

    /**
     * Only a client may be sent to the store: never an edge (its fetches carry the shared token, which must be set
     * for the origin to tell them apart), never a counted download (a presigned URL could be used again).
     */
    private boolean mayRedirect(HttpServletRequest request) {
        return link.token().isPresent() && request.getHeader(EdgeLink.FETCH_HEADER) == null;
    }

    private Optional<URI> redirect(StoredFile file) {
        try {
            return blobs.redirect(file.getSha256(), file.getSize(), SafeContentType.of(file.getContentType()));
        } catch (IOException e) {
            LOG.fine(() -> "no redirect for " + file.getName() + ", answered here: " + e);
            return Optional.empty();
        }
    }

    private Optional<StoredFile> lookup(String pathInfo) {
        String name = pathInfo == null ? null : StoredNames.fromPath(pathInfo);
        return name == null ? Optional.empty() : registry.byName(name);
    }

    private Sent send(
            String sha256,
            int status,
            long start,
            long length,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        BodySource blob;
        try {
            blob = blobs.open(sha256, start, length);
        } catch (NoSuchFileException e) {
            response.reset();
            notFound(response);
            return new Sent(HttpServletResponse.SC_NOT_FOUND, 0);
        } catch (IOException e) {
            // The bucket cannot be read now: a retryable answer, never a 200 with a short body.
            LOG.warning(() -> "blob " + sha256 + " cannot be read now: " + e.getMessage());
            response.reset();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("text/plain; charset=UTF-8");
            response.getWriter()
                    .write("503 Service Unavailable\nThe file cannot be read right now; try again shortly.\n");
            return new Sent(HttpServletResponse.SC_SERVICE_UNAVAILABLE, 0);
        }
        Sent sent = new Sent(status, length);
        if (length > DIRECT_LIMIT || !(blob instanceof FileBody)) {
            // A body from the bucket always goes this way: its bytes come when the store sends them.
            // Counted as it ends: what the client took (the request is counted now, with no bytes).
            String name = StoredNames.fromPath(request.getPathInfo());
            Taken taken = new Taken(blob, start, n -> {
                traffic.sent(n);
                records.sent(false, n, name);
            });
            deliveries.send(request, response, taken, start, length, Runnable::run, false);
            return new Sent(status, 0);
        }
        try (blob) {
            Piece piece = new Piece();
            blob.next(start, (int) length, piece, null);
            byte[] bytes = new byte[(int) length];
            piece.asBuffer().get(bytes);
            new ClientStream(response.getOutputStream()).write(bytes);
        } catch (ClientStream.ClientGone e) {
            LOG.fine(() -> "sending " + sha256 + ": " + e.getMessage());
        }
        return sent;
    }

    /** A date header, or -1 when absent or not a date (a malformed header is ignored, not a 500). */
    private static long dateHeader(HttpServletRequest request, String name) {
        try {
            return request.getDateHeader(name);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /**
     * A link whose content was banned: 451 (RFC 7725), never stored by anyone, no validators or ranges; the edges drop
     * their copy when they see it.
     */
    private static void takenDown(HttpServletResponse response) throws IOException {
        response.setStatus(UNAVAILABLE_FOR_LEGAL_REASONS);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain; charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getWriter().write("451 Unavailable For Legal Reasons\nThis file was taken down.\n");
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setHeader(OriginHeaders.UNKNOWN_FILE, "1"); // the registry's answer, not a server's default 404
        response.setContentType("text/plain; charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getWriter().write("404 Not Found\n");
    }
}
