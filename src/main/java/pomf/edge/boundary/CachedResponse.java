package pomf.edge.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.logging.Logger;
import pomf.edge.control.ChunkFiller;
import pomf.edge.control.EdgeCache;
import pomf.edge.control.EdgeSettings;
import pomf.edge.control.Fill;
import pomf.edge.entity.CachedObject;
import pomf.storage.control.ByteRange;
import pomf.storage.control.ClientStream;
import pomf.storage.control.Conditional;

/**
 * Writes an answer from a cached object: validators and 304s, ranges (206/416) whatever the origin advertised
 * (proxy_force_ranges), and the body chunk by chunk, from the store or from a fill as its bytes arrive, with the
 * next chunk fetched while this one is sent.
 */
@ApplicationScoped
public class CachedResponse {
    private static final Logger LOG = Logger.getLogger(CachedResponse.class.getName());
    private static final int SLICE = 64 * 1024;

    @Inject
    EdgeCache cache;

    @Inject
    EdgeSettings settings;

    /** @return the body bytes sent (all of them, also when the client left early: as the origin counts them) */
    public long send(CachedObject object, HttpServletRequest request, HttpServletResponse response, boolean body)
            throws IOException {
        object.headers().forEach(response::setHeader);
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("X-Content-Type-Options", "nosniff");
        Conditional conditional = new Conditional(object.etag(), modifiedMillis(object.lastModified()));
        long ifModifiedSince = object.lastModified().isEmpty() ? -1 : dateHeader(request, "If-Modified-Since");
        if (conditional.notModified(request.getHeader("If-None-Match"), ifModifiedSince)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return 0;
        }
        String range = conditional.rangeApplies(request.getHeader("If-Range")) ? request.getHeader("Range") : null;
        ByteRange.Outcome outcome = ByteRange.evaluate(range, object.size());
        if (outcome instanceof ByteRange.Unsatisfiable) {
            response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            response.setHeader("Content-Range", "bytes */" + object.size());
            response.setContentLength(0);
            return 0;
        }
        long start = 0;
        long length = object.size();
        if (outcome instanceof ByteRange.Partial partial) {
            start = partial.range().start();
            length = partial.range().length();
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader(
                    "Content-Range", "bytes " + start + "-" + partial.range().end() + "/" + object.size());
        }
        response.setContentLengthLong(length);
        if (body && length > 0) {
            try {
                write(object, start, length, new ClientStream(response.getOutputStream()));
            } catch (ClientStream.ClientGone e) {
                LOG.fine(() -> "answering " + object.name() + ": " + e.getMessage());
            }
            return length;
        }
        return 0;
    }

    private void write(CachedObject object, long start, long length, OutputStream out) throws IOException {
        ChunkFiller filler = cache.filler();
        long end = start + length;
        int first = (int) (start / object.chunkSize());
        int last = (int) ((end - 1) / object.chunkSize());
        long timeout = Math.max(1000, settings.readTimeout().toMillis());
        byte[] buffer = new byte[SLICE];
        for (int index = first; index <= last; index++) {
            long chunkStart = object.chunkStart(index);
            int from = (int) Math.max(0, start - chunkStart);
            int to = (int) Math.min(object.chunkLength(index), end - chunkStart);
            Object source = filler.source(object, index);
            if (index < last) {
                filler.prefetch(object, index + 1);
            }
            if (source instanceof byte[] bytes) {
                // In slices: one write of a whole chunk makes the JDK copy it through a chunk-sized direct buffer.
                for (int position = from; position < to; position += SLICE) {
                    out.write(bytes, position, Math.min(SLICE, to - position));
                }
                cache.counters().fromCache(to - from);
            } else {
                // A failed fill throws: the connection is cut short, never completed with wrong bytes.
                Fill fill = (Fill) source;
                int position = from;
                while (position < to) {
                    int n = fill.read(position, buffer, 0, Math.min(buffer.length, to - position), timeout);
                    if (n < 0) {
                        throw new IOException("chunk " + index + " of " + object.name() + " ended early");
                    }
                    out.write(buffer, 0, n);
                    position += n;
                }
            }
        }
    }

    private static long modifiedMillis(String lastModified) {
        if (lastModified.isEmpty()) {
            return Long.MIN_VALUE;
        }
        try {
            return ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    private static long dateHeader(HttpServletRequest request, String name) {
        try {
            return request.getDateHeader(name);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
