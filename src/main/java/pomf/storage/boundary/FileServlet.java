package pomf.storage.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.logging.Logger;
import pomf.delivery.boundary.AsyncBody;
import pomf.delivery.control.Piece;
import pomf.metrics.control.Traffic;
import pomf.names.control.StoredNames;
import pomf.registry.boundary.Registry;
import pomf.registry.entity.StoredFile;
import pomf.storage.control.BlobStore;
import pomf.storage.control.ByteRange;
import pomf.storage.control.ClientStream;
import pomf.storage.control.Conditional;
import pomf.storage.control.FileBody;
import pomf.storage.control.SafeContentType;
import pomf.storage.entity.OriginHeaders;
import pomf.traffic.control.TrafficRecorder;

/**
 * Serves stored files: whole, one byte range, or 304 for a copy the client already has. Stored files never change.
 * Small bodies are written at once; larger ones go out as the client takes them ({@link AsyncBody}), straight from
 * the mapped file, so slow clients hold no thread.
 */
@WebServlet(urlPatterns = "/f/*", asyncSupported = true)
public class FileServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(FileServlet.class.getName());
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

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, true);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, false);
    }

    /** Counts every answer, a failure that the container turns into a 500 (the registry unreachable) included. */
    private void answer(HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
        long bytes = 0;
        boolean failed = true;
        try {
            bytes = serve(request, response, body);
            failed = false;
        } finally {
            int status = failed && !response.isCommitted() ? 500 : response.getStatus();
            traffic.served(status, bytes);
            // File traffic only for stored files: a 404's name is whatever the client typed.
            records.origin(status, bytes, status < 400 ? request.getPathInfo().substring(1) : null);
        }
    }

    /** @return the body bytes sent */
    private long serve(HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
        Optional<StoredFile> found = lookup(request.getPathInfo());
        if (found.isEmpty()) {
            notFound(response);
            return 0;
        }
        StoredFile file = found.get();
        String etag = "\"" + file.getSha256() + "\"";
        long modified = file.getCreatedAt().toInstant(ZoneOffset.UTC).toEpochMilli();
        response.setHeader("ETag", etag);
        response.setDateHeader("Last-Modified", modified);
        response.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader(
                "Content-Security-Policy",
                "default-src 'none'; img-src 'self'; media-src 'self'; " + "style-src 'unsafe-inline'; sandbox");
        Conditional conditional = new Conditional(etag, modified);
        if (conditional.notModified(request.getHeader("If-None-Match"), dateHeader(request, "If-Modified-Since"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return 0;
        }
        response.setContentType(SafeContentType.of(file.getContentType()));
        String range = conditional.rangeApplies(request.getHeader("If-Range")) ? request.getHeader("Range") : null;
        ByteRange.Outcome outcome = ByteRange.evaluate(range, file.getSize());
        long start = 0;
        long length = file.getSize();
        if (outcome instanceof ByteRange.Unsatisfiable) {
            response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            response.setHeader("Content-Range", "bytes */" + file.getSize());
            response.setContentLength(0);
            return 0;
        }
        if (outcome instanceof ByteRange.Partial partial) {
            start = partial.range().start();
            length = partial.range().length();
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader(
                    "Content-Range", "bytes " + start + "-" + partial.range().end() + "/" + file.getSize());
        }
        response.setContentLengthLong(length);
        if (body && length > 0) {
            send(file.getSha256(), start, length, request, response);
            return length;
        }
        return 0;
    }

    private Optional<StoredFile> lookup(String pathInfo) {
        String name = pathInfo == null ? null : StoredNames.fromPath(pathInfo);
        return name == null ? Optional.empty() : registry.byName(name);
    }

    private void send(String sha256, long start, long length, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        FileBody blob;
        try {
            blob = FileBody.open(blobs.blob(sha256));
        } catch (NoSuchFileException e) {
            response.reset();
            notFound(response);
            return;
        }
        if (length > DIRECT_LIMIT) {
            AsyncBody.send(request, response, blob, start, length, Runnable::run, false);
            return;
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
    }

    /** A date header, or -1 when absent or not a date (a malformed header is ignored, not a 500). */
    private static long dateHeader(HttpServletRequest request, String name) {
        try {
            return request.getDateHeader(name);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        response.setHeader(OriginHeaders.UNKNOWN_FILE, "1"); // the registry's answer, not a server's default 404
        response.setContentType("text/plain; charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.getWriter().write("404 Not Found\n");
    }
}
