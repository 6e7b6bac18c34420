package pomf.upload.control;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental parser of a {@code multipart/form-data} body, fed with slices of bytes as they arrive, so that no
 * thread waits for the client on its behalf. It tells its {@link Handler} where each part starts (with its
 * headers), hands on the part's bytes as slices of the caller's array, and says where the part ends. Between
 * slices it keeps only the delimiter search's state (a count: the held-back bytes are the delimiter's own prefix)
 * and, while they arrive, the current part's headers.
 */
public final class MultipartParser {
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** RFC 2046's limit: longer boundaries only make every search slower. */
    static final int MAX_BOUNDARY = 70;

    private static final int HEADER_START = 256;

    /** What the parser finds, in order: per part, one start, any number of data slices, one end. */
    public interface Handler {
        void partStarted(PartHeaders headers);

        /** Bytes of the current part, in an array that is only lent for the call and must not be changed. */
        void partData(byte[] bytes, int offset, int length);

        void partEnded();
    }

    private enum State {
        PREAMBLE,
        BODY,
        AFTER_DELIMITER,
        HEADERS,
        FINISHED
    }

    private final Handler handler;
    private final byte[] delimiter;
    private final DelimiterSearch search;
    private State state = State.PREAMBLE;
    /** After a delimiter: bytes seen, and the last meaningful one ('-', ' ' for padding, '\r', or 0). */
    private int afterCount;

    private byte afterLast;
    private byte[] header;
    private int headerLength;

    public MultipartParser(String boundary, Handler handler) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new MalformedMultipartException("The multipart boundary is missing or invalid.");
        }
        this.handler = handler;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.search = new DelimiterSearch(delimiter);
        // The first delimiter has no line break before it: pretend there was one, and skip any preamble.
        search.reset(2);
    }

    /**
     * Parses {@code bytes[offset, offset + length)} and returns how many bytes it used: all of them, or fewer when
     * a part started or ended, so that the caller can act on that (open or complete a file) before it feeds the
     * rest.
     */
    public int feed(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (state) {
                case PREAMBLE -> i = delimiterOrSkip(bytes, i, end);
                case BODY -> {
                    i = content(bytes, i, end);
                    if (state != State.BODY) {
                        return i - offset;
                    }
                }
                case AFTER_DELIMITER -> i = afterDelimiter(bytes, i, end);
                case HEADERS -> {
                    i = headers(bytes, i, end);
                    if (state == State.BODY) {
                        return i - offset;
                    }
                }
                case FINISHED -> i = end; // the epilogue means nothing
            }
        }
        return length;
    }

    /** The closing delimiter was seen: whatever follows is epilogue. */
    public boolean isFinished() {
        return state == State.FINISHED;
    }

    /** The body has no more bytes: fails unless it was complete. */
    public void end() {
        switch (state) {
            case FINISHED -> {}
            case PREAMBLE, BODY ->
                throw new MalformedMultipartException("The multipart body is truncated (no closing boundary).");
            case HEADERS -> throw new MalformedMultipartException("The multipart body ends inside part headers.");
            case AFTER_DELIMITER -> {
                if (afterCount < 2) {
                    throw new MalformedMultipartException("The multipart body ends after a boundary.");
                }
                throw noLineBreak();
            }
        }
    }

    private int delimiterOrSkip(byte[] bytes, int from, int to) {
        int found = search.scan(bytes, from, to);
        if (found < 0) {
            return to;
        }
        startAfterDelimiter();
        return found;
    }

    private int content(byte[] bytes, int from, int to) {
        int carried = search.matched();
        int found = search.scan(bytes, from, to);
        // Content ends where the delimiter starts, or before the bytes that may still begin one. Part of it can be
        // delimiter bytes held back at the end of the previous slice: those are the delimiter's own first bytes.
        int contentEnd = found >= 0 ? found - delimiter.length : to - search.matched();
        if (contentEnd <= from) {
            emit(delimiter, 0, carried - (from - contentEnd));
        } else {
            emit(delimiter, 0, carried);
            emit(bytes, from, contentEnd - from);
        }
        if (found < 0) {
            return to;
        }
        handler.partEnded();
        startAfterDelimiter();
        return found;
    }

    private void emit(byte[] bytes, int offset, int length) {
        if (length > 0) {
            handler.partData(bytes, offset, length);
        }
    }

    private void startAfterDelimiter() {
        state = State.AFTER_DELIMITER;
        afterCount = 0;
        afterLast = 0;
    }

    /** "--" closes the body; otherwise optional transport padding (spaces, tabs) and a line break. */
    private int afterDelimiter(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && state == State.AFTER_DELIMITER) {
            byte c = bytes[i++];
            afterCount++;
            if (afterLast == 0 && c == '-') {
                afterLast = '-';
            } else if (afterLast == '-') {
                if (c != '-') {
                    throw noLineBreak();
                }
                state = State.FINISHED;
            } else if ((afterLast == 0 || afterLast == ' ') && (c == ' ' || c == '\t')) {
                afterLast = ' ';
            } else if (afterLast != '\r' && c == '\r') {
                afterLast = '\r';
            } else if (afterLast == '\r' && c == '\n') {
                state = State.HEADERS;
                headerLength = 0;
            } else {
                throw noLineBreak();
            }
        }
        return i;
    }

    /** The part's header lines, up to the empty line that ends them; the block may not pass the limit. */
    private int headers(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            if (headerLength == MAX_HEADER_BYTES + 2) {
                throw new MalformedMultipartException("Part headers are too large.");
            }
            byte c = bytes[i++];
            if (header == null || headerLength == header.length) {
                header = Arrays.copyOf(header == null ? new byte[0] : header, Math.max(HEADER_START, 2 * headerLength));
            }
            header[headerLength++] = c;
            if (c == '\n' && blankLineEnds()) {
                PartHeaders headers = PartHeaders.parse(Arrays.copyOf(header, headerLength - 2));
                if (header.length > HEADER_START) {
                    header = null; // a rare large block is not kept for the rest of the body
                }
                state = State.BODY;
                search.reset(0);
                handler.partStarted(headers);
                return i;
            }
        }
        return i;
    }

    private boolean blankLineEnds() {
        int n = headerLength;
        return n >= 2
                && header[n - 2] == '\r'
                && (n == 2 || (n >= 4 && header[n - 4] == '\r' && header[n - 3] == '\n'));
    }

    private static MalformedMultipartException noLineBreak() {
        return new MalformedMultipartException("The multipart boundary is not followed by a line break.");
    }
}
