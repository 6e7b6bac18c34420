package pomf.storage.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import pomf.metrics.control.Traffic;
import pomf.registry.boundary.Registry;
import pomf.registry.entity.StoredFile;
import pomf.storage.control.BlobStore;
import pomf.storage.control.ByteRange;
import pomf.storage.control.ClientStream;
import pomf.storage.control.Conditional;
import pomf.storage.control.SafeContentType;
import pomf.storage.entity.OriginHeaders;
import pomf.traffic.control.TrafficRecorder;

/** Serves stored files: whole, one byte range, or 304 for a copy the client already has. Stored files never change. */
@WebServlet(urlPatterns = "/f/*")
public class FileServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(FileServlet.class.getName());
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]{1,40}(\\.[A-Za-z0-9]{1,12}){0,2}");
    private static final int BUFFER = 128 * 1024;

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
        if (body) {
            send(file.getSha256(), start, length, response);
            return length;
        }
        return 0;
    }

    private Optional<StoredFile> lookup(String pathInfo) {
        if (pathInfo == null
                || pathInfo.length() < 2
                || !NAME.matcher(pathInfo.substring(1)).matches()) {
            return Optional.empty();
        }
        return registry.byName(pathInfo.substring(1));
    }

    private void send(String sha256, long start, long length, HttpServletResponse response) throws IOException {
        try (FileChannel channel = FileChannel.open(blobs.blob(sha256), StandardOpenOption.READ)) {
            OutputStream out = new ClientStream(response.getOutputStream());
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, length)));
            long position = start;
            long remaining = length;
            while (remaining > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
                int n = channel.read(buffer, position);
                if (n < 0) {
                    throw new IOException("blob " + sha256 + " is shorter than its registry row");
                }
                out.write(buffer.array(), 0, n);
                position += n;
                remaining -= n;
            }
        } catch (ClientStream.ClientGone e) {
            LOG.fine(() -> "sending " + sha256 + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            if (!response.isCommitted()) {
                response.reset();
                notFound(response);
            }
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
