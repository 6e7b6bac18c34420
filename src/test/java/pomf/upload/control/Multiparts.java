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

    /** Reads every part, asking for {@code readSize} bytes at a time. */
    static List<Part> readAll(InputStream in, String boundary, int readSize) throws IOException {
        return readAll(in, boundary, () -> readSize);
    }

    static List<Part> readAll(InputStream in, String boundary, java.util.function.IntSupplier readSizes)
            throws IOException {
        MultipartReader reader = new MultipartReader(in, boundary);
        List<Part> parts = new ArrayList<>();
        PartHeaders headers;
        while ((headers = reader.nextPart()) != null) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int size = readSizes.getAsInt();
            byte[] buffer = new byte[size + 3];
            int n;
            while ((n = reader.read(buffer, 3, size)) >= 0) {
                if (n == 0) {
                    throw new AssertionError("read returned 0 for a request of " + size + " bytes");
                }
                body.write(buffer, 3, n);
                size = readSizes.getAsInt();
                buffer = buffer.length >= size + 3 ? buffer : new byte[size + 3];
            }
            parts.add(new Part(headers, body.toByteArray()));
        }
        return parts;
    }

    static List<Part> readAll(byte[] body, String boundary) throws IOException {
        return readAll(new ByteArrayInputStream(body), boundary, 8192);
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
