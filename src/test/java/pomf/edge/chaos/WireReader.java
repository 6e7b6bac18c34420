package pomf.edge.chaos;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reads one connection's bytes for {@link WireClient}: lines of the head, and a body framed by a length, by chunks,
 * or by the connection's end, fed to a {@link BodyMatch} as it arrives. The end of the stream before the framing's
 * end is an {@link EOFException}; bytes that break the framing are {@link Malformed}.
 */
final class WireReader {
    private static final int MAX_LINE = 16 * 1024;

    /** The bytes are not HTTP. */
    static final class Malformed extends IOException {
        Malformed(String what) {
            super(what);
        }
    }

    /** The client hung up on purpose after the bytes it wanted. */
    static final class Abandoned extends IOException {}

    /** How long to wait for more once a body is known to be wrong: enough to see whether it ends, no longer. */
    private static final int AFTER_DIFFERENCE_MILLIS = 2_000;

    private final Socket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];

    WireReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
    }

    /** A line without its CRLF; {@code first} says it would be a status line (for the message when none comes). */
    String line(boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException(first && line.size() == 0 ? "closed before a status line" : "closed mid-line");
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            if (line.size() >= MAX_LINE) {
                throw new Malformed("line longer than " + MAX_LINE);
            }
            line.write(b);
        }
    }

    /** Reads a body of {@code length} bytes; {@link Long#MAX_VALUE} reads to the end (ending in EOFException). */
    void fixed(ChaosRequest request, BodyMatch body, long length) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("connection ended " + left + " bytes short of " + length);
            }
            feed(request, body, n);
            left -= n;
        }
    }

    /** Reads a chunked body to its last chunk and trailers. */
    void chunked(ChaosRequest request, BodyMatch body) throws IOException {
        while (true) {
            String size = line(false);
            int semicolon = size.indexOf(';');
            long length;
            try {
                length = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new Malformed("chunk size " + size);
            }
            if (length == 0) {
                while (!line(false).isEmpty()) {
                    // trailers
                }
                return;
            }
            fixed(request, body, length);
            if (!line(false).isEmpty()) {
                throw new Malformed("no CRLF after a chunk");
            }
        }
    }

    private void feed(ChaosRequest request, BodyMatch body, int n) throws IOException {
        long wanted = request.abandonAfter();
        if (wanted >= 0 && body.received() + n >= wanted) {
            body.accept(buffer, 0, (int) (wanted - body.received()));
            throw new Abandoned();
        }
        body.accept(buffer, 0, n);
        if (body.firstDifference() >= 0 && socket.getSoTimeout() != AFTER_DIFFERENCE_MILLIS) {
            // A wrong body often never ends (an error page written into a response that promised more): the
            // client would wait its whole read timeout for each of them.
            socket.setSoTimeout(AFTER_DIFFERENCE_MILLIS);
        }
    }
}
