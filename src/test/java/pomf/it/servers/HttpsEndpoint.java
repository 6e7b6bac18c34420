package pomf.it.servers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An edge node's {@code GET /health/ready} over HTTPS, as the witness checks it: a self-signed certificate whose SAN
 * lists the IP ({@link IpCertificates}), a trust store holding only that certificate for the checker, and a status and
 * a delay the test can change while checks run.
 */
public final class HttpsEndpoint implements AutoCloseable {
    public static final String PATH = "/health/ready";
    /**
     * The server does each TLS handshake on the exchange's thread: a thread per connection let 500 concurrent
     * handshakes starve the checker in the same JVM. A few threads, like an nginx's few workers.
     */
    private static final int THREADS = 4;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Path keyStore;
    private final Path trustStore;
    private final String address;
    private final int port;
    private final AtomicInteger requests = new AtomicInteger();
    /** Files served under {@code /f/}, by stored name, as an edge serves them (the witness's canary). */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;

    private HttpsEndpoint(Path keyStore, Path trustStore, String address, int port) throws IOException {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
        this.address = address;
        this.port = port;
        server = HttpsServer.create(new InetSocketAddress(address, port), 1024);
        server.setHttpsConfigurator(new HttpsConfigurator(IpCertificates.serverContext(keyStore)));
        server.createContext(PATH, this::answer);
        server.createContext("/f/", this::file);
        executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "https-endpoint-" + port);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** Serves a certificate for {@code address}, which {@link #trustStore()} trusts. */
    public static HttpsEndpoint start(Path folder, String address, int port) {
        return start(folder, address, port, address, true);
    }

    /**
     * Serves a certificate that {@link #trustStore()} does not hold: it holds another key's certificate of the same name,
     * as after a node made itself a new certificate. A TLS failure ("PKIX path validation failed").
     */
    public static HttpsEndpoint startUntrusted(Path folder, String address, int port) {
        return start(folder, address, port, address, false);
    }

    /**
     * Serves a trusted certificate whose SAN lists {@code certifiedAddress} instead of the address it listens on, as
     * a node with another node's certificate: hostname verification must reject it.
     */
    public static HttpsEndpoint startWithCertificateFor(
            Path folder, String address, int port, String certifiedAddress) {
        return start(folder, address, port, certifiedAddress, true);
    }

    private static HttpsEndpoint start(
            Path folder, String address, int port, String certified, boolean servedIsTrusted) {
        try {
            Files.createDirectories(folder);
            String name = "endpoint-" + address + "-" + port;
            Path keyStore = IpCertificates.keyPair(folder.resolve(name + ".p12"), certified);
            Path trusted =
                    servedIsTrusted ? keyStore : IpCertificates.keyPair(folder.resolve(name + "-other.p12"), certified);
            Path trustStore = IpCertificates.trustStore(trusted, folder.resolve(name + "-trust.p12"));
            return new HttpsEndpoint(keyStore, trustStore, address, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start an HTTPS endpoint on " + address + ":" + port, e);
        }
    }

    /** Stops this endpoint and starts it again with the same certificate, as a node coming back after a crash. */
    public HttpsEndpoint restart() {
        close();
        try {
            HttpsEndpoint restarted = new HttpsEndpoint(keyStore, trustStore, address, port);
            restarted.files.putAll(files);
            return restarted;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the HTTPS endpoint on " + address + ":" + port, e);
        }
    }

    /** What this endpoint answers from now on: 200 when ready, 503 when not. */
    public void setStatus(int status) {
        this.status = status;
    }

    /** Serves {@code body} at {@code /f/<name>} from now on (200, or 404 for names it does not serve). */
    public void serve(String name, byte[] body) {
        files.put(name, body.clone());
    }

    /** How long each answer waits before its status line, from now on. */
    public void setDelay(Duration delay) {
        this.delay = delay;
    }

    /** {@code https://ADDRESS:PORT/health/ready}, the node's check URL. */
    public URI url() {
        InetSocketAddress bound = server.getAddress();
        return URI.create("https://" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + PATH);
    }

    /** A PKCS12 file holding only the certificate the checker should trust. */
    public Path trustStore() {
        return trustStore;
    }

    public String trustStorePassword() {
        return IpCertificates.PASSWORD;
    }

    /** Requests that reached the handler (after the TLS handshake). */
    public int requests() {
        return requests.get();
    }

    private void file(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = files.get(exchange.getRequestURI().getPath().substring("/f/".length()));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Thread.sleep(delay.toMillis());
            int answer = "GET".equals(exchange.getRequestMethod()) ? status : 405;
            byte[] body = ("{\"status\":" + answer + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            // Closing: the waiting answer is abandoned with its connection.
            Thread.currentThread().interrupt();
        }
    }
}
