package pomf.upload.boundary;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in edge that records the purge requests it receives ("name Authorization"). */
final class PurgeRecorder implements AutoCloseable {
    private static final String PREFIX = "/api/v1/edge/purge/";
    private final HttpServer server;
    private final List<String> purged = new CopyOnWriteArrayList<>();

    private PurgeRecorder(HttpServer server) {
        this.server = server;
    }

    static PurgeRecorder start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            PurgeRecorder recorder = new PurgeRecorder(server);
            server.createContext(PREFIX, exchange -> {
                if (exchange.getRequestMethod().equals("DELETE")) {
                    String name = exchange.getRequestURI().getPath().substring(PREFIX.length());
                    recorder.purged.add(
                            name + " " + exchange.getRequestHeaders().getFirst("Authorization"));
                }
                byte[] body = "{\"purged\":true}".getBytes();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return recorder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> purged() {
        return purged;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
