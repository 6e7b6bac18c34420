package pomf.delivery.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Reads the body of a request that asked to switch protocols by its Content-Length. The listener switches to
 * nothing (no h2c, no WebSocket), but Grizzly, seeing {@code Upgrade}, sets no end to such a body: a reader waits
 * for bytes that never come, and what follows on the connection would pass for body. Java's HttpClient asks for
 * h2c on every new plain connection, POST included, so this is an everyday request. Grizzly closes such a
 * connection after the answer, whose later bytes it could not tell apart from the body; the answer says so.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class BodyByLength extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getHeader("Upgrade") == null) {
            chain.doFilter(request, response);
            return;
        }
        // Bodiless requests too (a GET, a POST of nothing): a reader would wait on them just the same.
        response.setHeader("Connection", "close");
        long length = request.getContentLengthLong();
        chain.doFilter(new Bounded(request, Math.max(length, 0)), response);
    }

    /** The request with its body cut at its declared length (none when it declared none: no chunked switch). */
    static final class Bounded extends HttpServletRequestWrapper {
        private final long length;
        private ServletInputStream stream;
        private BufferedReader reader;

        Bounded(HttpServletRequest request, long length) {
            super(request);
            this.length = length;
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (reader != null) {
                throw new IllegalStateException("getReader() was called already");
            }
            if (stream == null) {
                stream = new LengthBound(super.getInputStream(), length);
            }
            return stream;
        }

        @Override
        public synchronized BufferedReader getReader() throws IOException {
            if (reader == null) {
                if (stream != null) {
                    throw new IllegalStateException("getInputStream() was called already");
                }
                String encoding = getCharacterEncoding();
                Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
                reader = new BufferedReader(
                        new InputStreamReader(new LengthBound(super.getInputStream(), length), charset));
            }
            return reader;
        }
    }

    /** A servlet stream that ends after a given number of bytes, blocking or not. */
    static final class LengthBound extends ServletInputStream {
        private final ServletInputStream in;
        private long remaining;

        LengthBound(ServletInputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int count) throws IOException {
            if (count == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(bytes, offset, (int) Math.min(count, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean isFinished() {
            return remaining <= 0 || in.isFinished();
        }

        @Override
        public boolean isReady() {
            return remaining <= 0 || in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
