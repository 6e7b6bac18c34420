package pomf.it.clients;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A client that reads an answer at the pace it chooses, over a socket with a small receive buffer (so the server
 * really waits for it): what a viewer on a slow link, or a client that stops reading, looks like to the edge.
 */
public final class PacedReader implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private long contentLength = -1;
    private int status;

    private PacedReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends a GET of {@code name} and reads the status line and headers. */
    public static PacedReader get(String name) throws IOException {
        return get(PomfClient.PORT, name);
    }

    /** The same from the instance on {@code port}. */
    public static PacedReader get(int port, String name) throws IOException {
        return get(port, name, new String[0]);
    }

    /** The same with more header lines ({@code "X-Forwarded-For: 192.0.2.1"}), e.g. to stand for another client. */
    public static PacedReader get(int port, String name, String... headers) throws IOException {
        return pipelined(port, name, 1, headers);
    }

    /**
     * Sends {@code count} GETs of {@code name} at once on one connection (HTTP/1.1 pipelining) and reads the first
     * answer's status line and headers; {@link #next()} reads the next one's after this one's body.
     */
    public static PacedReader pipelined(int port, String name, int count, String... headers) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        String request = "GET /f/" + name + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + String.join("", Arrays.stream(headers).map(h -> h + "\r\n").toList())
                + "\r\n";
        socket.getOutputStream().write(request.repeat(count).getBytes(StandardCharsets.US_ASCII));
        PacedReader reader = new PacedReader(socket);
        reader.readHeaders();
        return reader;
    }

    /** Reads the next pipelined answer's status line and headers, once this one's body has been read. */
    public void next() throws IOException {
        status = 0;
        contentLength = -1;
        readHeaders();
    }

    /** Bytes received and not read yet. */
    public int available() throws IOException {
        return in.available();
    }

    /** The answer's status code. */
    public int status() {
        return status;
    }

    public long contentLength() {
        return contentLength;
    }

    /**
     * Whether the server still holds this connection open: its end of it (seen in /proc/net/tcp, the kernel's own
     * table) is ESTABLISHED. A server that closed it leaves FIN-WAIT or nothing, even while unread bytes remain.
     */
    public boolean heldOpenByServer() throws IOException {
        String local = String.format(":%04X", socket.getPort());
        String peer = String.format(":%04X", socket.getLocalPort());
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) { // Java's sockets may be IPv6 ones
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(local) && f[2].endsWith(peer)) {
                    return f[3].equals("01");
                }
            }
        }
        return false;
    }

    /** Reads up to {@code count} body bytes into {@code out} at about {@code bytesPerSecond}; false at the end. */
    public boolean read(ByteArrayOutputStream out, long count, long bytesPerSecond) throws IOException {
        byte[] buffer = new byte[4096];
        long start = System.nanoTime();
        long done = 0;
        while (done < count) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, count - done));
            if (n < 0) {
                return false;
            }
            out.write(buffer, 0, n);
            done += n;
            if (bytesPerSecond > 0) {
                long due = start + done * 1_000_000_000L / bytesPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleep(wait / 1_000_000);
                }
            }
        }
        return true;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void readHeaders() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String header = line.toString().trim();
                if (header.isEmpty()) {
                    return;
                }
                if (status == 0 && header.startsWith("HTTP/")) {
                    status = Integer.parseInt(header.split(" ")[1]);
                }
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Long.parseLong(header.substring(15).trim());
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        throw new IOException("the connection closed before the headers ended");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
