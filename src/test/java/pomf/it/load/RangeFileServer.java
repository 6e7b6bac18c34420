package pomf.it.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in edge for the load clients' own test: serves a folder's files at /f/NAME, whole or one byte range, and
 * can be told to flip one byte of one file in what it sends, the fault the clients must never miss.
 */
final class RangeFileServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Path folder;
    private volatile String corruptName;

    RangeFileServer(String address, int port, Path folder) {
        this.folder = folder;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/f/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    /** From now on, the byte in the middle of this file is sent inverted (null: no more corruption). */
    void corrupt(String name) {
        corruptName = name;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/f/".length());
            Path file = folder.resolve(name).normalize();
            if (name.contains("/") || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] content = Files.readAllBytes(file);
            if (name.equals(corruptName)) {
                content[content.length / 2] ^= (byte) 0xFF;
            }
            int first = 0;
            int last = content.length - 1;
            int status = 200;
            String range = exchange.getRequestHeaders().getFirst("Range");
            if (range != null) {
                Matcher m = RANGE.matcher(range);
                if (!m.matches() || Long.parseLong(m.group(1)) >= content.length) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                first = Integer.parseInt(m.group(1));
                last = m.group(2).isEmpty() ? last : (int) Math.min(last, Long.parseLong(m.group(2)));
                status = 206;
                exchange.getResponseHeaders()
                        .set("Content-Range", "bytes " + first + "-" + last + "/" + content.length);
            }
            exchange.sendResponseHeaders(status, last - first + 1);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(content, first, last - first + 1);
            }
        }
    }
}
