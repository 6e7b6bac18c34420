package pomf.upload.control;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test support: builds multipart bodies byte by byte, feeds them in awkward slices and reads every part back. */
final class Multiparts {

    private Multiparts() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A well-formed body, written the way RFC 2046 puts it: CRLF before every delimiter but the first. */
    static final class Builder {
        private final String boundary;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private boolean first = true;

        Builder(String boundary) {
            this.boundary = boundary;
        }

        Builder preamble(byte[] preamble) {
            out.writeBytes(preamble);
            out.writeBytes(ascii("\r\n"));
            return this;
        }

        Builder part(String headers, byte[] body) {
            // Browsers and curl send header values as raw UTF-8.
            out.writeBytes(utf8((first ? "" : "\r\n") + "--" + boundary + "\r\n" + headers + "\r\n"));
            out.writeBytes(body);
            first = false;
            return this;
        }

        Builder file(String name, String filename, byte[] body) {
            return part(
                    "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                            + "Content-Type: application/octet-stream\r\n",
                    body);
        }

        Builder field(String name, String value) {
            return part("Content-Disposition: form-data; name=\"" + name + "\"\r\n", utf8(value));
        }

        Builder close() {
            out.writeBytes(ascii("\r\n--" + boundary + "--"));
            return this;
        }

        Builder raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    /** One part as read back: its headers and every byte of its body. */
    record Part(PartHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Reads every part, feeding the parser slices of {@code readSize} bytes (or fewer, as the stream gives). */
    static List<Part> readAll(InputStream in, String boundary, int readSize) throws IOException {
        return readAll(in, boundary, () -> readSize);
    }

    /**
     * Reads the stream in slices of the sizes given and feeds them to a parser, as the upload does, until the
     * closing delimiter (the epilogue is not read) or the end of the stream.
     */
    static List<Part> readAll(InputStream in, String boundary, java.util.function.IntSupplier readSizes)
            throws IOException {
        Collector parts = new Collector();
        MultipartParser parser = new MultipartParser(boundary, parts);
        byte[] buffer = new byte[0];
        while (!parser.isFinished()) {
            int size = readSizes.getAsInt();
            buffer = buffer.length >= size + 3 ? buffer : new byte[size + 3];
            int n = in.read(buffer, 3, size);
            if (n < 0) {
                parser.end();
                break;
            }
            feedAll(parser, buffer, 3, n);
        }
        return parts.parts;
    }

    static List<Part> readAll(byte[] body, String boundary) throws IOException {
        return readAll(new ByteArrayInputStream(body), boundary, 8192);
    }

    /** Feeds a whole slice, again after every part end (where the parser stops), as the upload does. */
    static void feedAll(MultipartParser parser, byte[] bytes, int offset, int length) {
        int end = offset + length;
        while (offset < end) {
            int used = parser.feed(bytes, offset, end - offset);
            if (used <= 0) {
                throw new AssertionError("feed used " + used + " of " + (end - offset) + " bytes");
            }
            offset += used;
        }
    }

    /** Collects the parser's events as parts, checking that they come in a legal order. */
    static final class Collector implements MultipartParser.Handler {
        final List<Part> parts = new ArrayList<>();
        private PartHeaders headers;
        private ByteArrayOutputStream body;

        @Override
        public void partStarted(PartHeaders headers) {
            if (body != null) {
                throw new AssertionError("a part started inside another");
            }
            this.headers = headers;
            body = new ByteArrayOutputStream();
        }

        @Override
        public void partData(byte[] bytes, int offset, int length) {
            if (body == null || length <= 0) {
                throw new AssertionError("data outside a part, or empty: " + length);
            }
            body.write(bytes, offset, length);
        }

        @Override
        public void partEnded() {
            if (body == null) {
                throw new AssertionError("a part ended that had not started");
            }
            parts.add(new Part(headers, body.toByteArray()));
            body = null;
        }
    }

    /** Hands out at most a random number of bytes in [min, max] per read, as a slow network would. */
    static final class Sliced extends InputStream {
        private final byte[] data;
        private final Random random;
        private final int min;
        private final int max;
        private int pos;

        Sliced(byte[] data, Random random, int min, int max) {
            this.data = data;
            this.random = random;
            this.min = min;
            this.max = max;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, data.length - pos), min + random.nextInt(max - min + 1));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
