package pomf.upload.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A streaming reader of a {@code multipart/form-data} body: parts one after the other, each body read in place
 * without buffering the part. The delimiter is found by {@link DelimiterSearch}, in linear time whatever the
 * boundary.
 */
public final class MultipartReader {
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** RFC 2046's limit: longer boundaries only make every search slower. */
    static final int MAX_BOUNDARY = 70;

    private static final int BUFFER = 128 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final DelimiterSearch search;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private boolean eof;
    /** Where the next delimiter starts in {@code buf}, or -1 when not found up to {@code scanned}. */
    private int found = -1;

    private int scanned;
    private boolean inBody;
    private boolean finished;

    public MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new MalformedMultipartException("The multipart boundary is missing or invalid.");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.search = new DelimiterSearch(delimiter);
        // The first delimiter has no line break before it: pretend there was one, and skip any preamble.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
        inBody = true;
    }

    /** Moves to the next part, skipping what is left of the current one; null after the closing delimiter. */
    public PartHeaders nextPart() throws IOException {
        if (finished) {
            return null;
        }
        byte[] skip = new byte[8192];
        while (inBody && read(skip, 0, skip.length) >= 0) {
            // discard
        }
        if (!ensure(2)) {
            throw new MalformedMultipartException("The multipart body ends after a boundary.");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            return null;
        }
        skipLinearWhitespace();
        expectLineBreak();
        PartHeaders headers = PartHeaders.parse(readHeaderBlock());
        inBody = true;
        return headers;
    }

    /** Reads the current part's body; -1 at its end. */
    public int read(byte[] b, int off, int len) throws IOException {
        if (!inBody) {
            return -1;
        }
        while (true) {
            if (found < 0) {
                search();
            }
            if (found >= 0) {
                int available = found - pos;
                if (available == 0) {
                    pos = found + delimiter.length;
                    found = -1;
                    scanned = pos;
                    inBody = false;
                    return -1;
                }
                int n = Math.min(len, available);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            // Bytes that cannot be the start of a delimiter are safe to hand out.
            int safe = scanned - search.matched() - pos;
            if (safe > 0) {
                int n = Math.min(len, safe);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            if (!fill()) {
                throw new MalformedMultipartException("The multipart body is truncated (no closing boundary).");
            }
        }
    }

    private void search() {
        int end = search.scan(buf, scanned, lim);
        if (end >= 0) {
            found = end - delimiter.length;
            scanned = end;
        } else {
            scanned = lim;
        }
    }

    /** Compacts the buffer and reads more; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            scanned = Math.max(0, scanned - pos);
            if (found >= 0) {
                found -= pos;
            }
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return false;
        }
        lim += n;
        return true;
    }

    private boolean ensure(int count) throws IOException {
        while (lim - pos < count) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    private void skipLinearWhitespace() throws IOException {
        while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
    }

    private void expectLineBreak() throws IOException {
        if (!ensure(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new MalformedMultipartException("The multipart boundary is not followed by a line break.");
        }
        pos += 2;
        scanned = pos;
    }

    /** The part's header lines, up to and without the empty line that ends them. */
    private byte[] readHeaderBlock() throws IOException {
        int start = pos;
        int i = pos;
        while (true) {
            if (i + 1 >= lim) {
                int consumed = i - start;
                pos = start;
                if (!fill()) {
                    throw new MalformedMultipartException("The multipart body ends inside part headers.");
                }
                start = pos;
                i = start + consumed;
                continue;
            }
            if (i - start > MAX_HEADER_BYTES) {
                throw new MalformedMultipartException("Part headers are too large.");
            }
            if (buf[i] == '\r'
                    && buf[i + 1] == '\n'
                    && (i == start || (i >= start + 2 && buf[i - 2] == '\r' && buf[i - 1] == '\n'))) {
                byte[] block = Arrays.copyOfRange(buf, start, i);
                pos = i + 2;
                scanned = pos;
                found = -1;
                return block;
            }
            i++;
        }
    }
}
