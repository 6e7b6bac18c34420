package pomf.it.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The TLS proxy that sits in front of an edge in production (nginx, caddy), for rehearsals on one machine: it
 * terminates HTTPS with a certificate for its IP ({@link IpCertificates}) and relays the bytes to the edge's plain HTTP
 * port. When the edge dies the front stays up but closes every new connection, so the witness's HTTPS check fails as
 * it would behind a real proxy.
 */
public final class TlsFront implements AutoCloseable {
    /** Beyond this many open connections new ones are closed at once: a load test cannot exhaust the threads. */
    public static final int MAX_CONNECTIONS = 512;

    private static final int BACKLOG = 1024;
    /** A client that never finishes its handshake must not hold a thread forever. */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** On loopback a live backend accepts at once; a refusal is immediate too. */
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final ServerSocket listener;
    private final InetSocketAddress backend;
    private final Path trustStore;
    private final int maxConnections;
    private final ThreadPoolExecutor threads;
    private final Set<TlsRelay> relays = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;

    private TlsFront(ServerSocket listener, InetSocketAddress backend, Path trustStore, int maxConnections) {
        this.listener = listener;
        this.backend = backend;
        this.trustStore = trustStore;
        this.maxConnections = maxConnections;
        // Two directions per connection, plus slack for threads still returning after their connection ended.
        threads = new ThreadPoolExecutor(
                0, 2 * maxConnections + 16, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "tls-front-" + listener.getLocalPort());
                    thread.setDaemon(true);
                    return thread;
                });
        acceptor = new Thread(this::accept, "tls-front-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens with TLS on {@code address:port} and relays every connection to {@code backend}. */
    public static TlsFront start(Path folder, String address, int port, InetSocketAddress backend) {
        return start(folder, address, port, backend, MAX_CONNECTIONS);
    }

    /**
     * The key pair is kept in {@code folder} and reused: a front started again on the same address presents the same
     * certificate, so a witness's trust store written once stays valid across restarts.
     */
    public static TlsFront start(Path folder, String address, int port, InetSocketAddress backend, int maxConnections) {
        try {
            Files.createDirectories(folder);
            String name = "front-" + address + "-" + port;
            Path keyStore = folder.resolve(name + ".p12");
            if (!Files.exists(keyStore)) {
                IpCertificates.keyPair(keyStore, address);
            }
            Path trust = IpCertificates.trustStore(keyStore, folder.resolve(name + "-trust.p12"));
            ServerSocket listener = IpCertificates.serverContext(keyStore)
                    .getServerSocketFactory()
                    .createServerSocket();
            ((SSLServerSocket) listener).setUseClientMode(false);
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(address), port), BACKLOG);
            return new TlsFront(listener, backend, trust, maxConnections);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a TLS front on " + address + ":" + port, e);
        }
    }

    /** {@code https://ADDRESS:PORT} followed by {@code path}. */
    public URI url(String path) {
        return URI.create(
                "https://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort() + path);
    }

    /** A PKCS12 file holding only this front's certificate. */
    public Path trustStore() {
        return trustStore;
    }

    public String trustStorePassword() {
        return IpCertificates.PASSWORD;
    }

    /** Connections accepted and not yet ended, including those still in their handshake. */
    public int openConnections() {
        return open.get();
    }

    /** Stops accepting and closes every relayed connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Already closed: nothing listens any more either way.
        }
        relays.forEach(TlsRelay::close);
        threads.shutdownNow();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                pause(); // a failed accept (no file descriptors left) must neither stop the front nor spin a core
                continue;
            }
            if (open.incrementAndGet() > maxConnections) {
                TlsRelay.closeQuietly(client);
                open.decrementAndGet();
                continue;
            }
            TlsRelay relay = new TlsRelay((SSLSocket) client, this::ended);
            relays.add(relay);
            if (closed) {
                relay.close(); // close() ran between accept and add: it did not see this relay
                return;
            }
            try {
                threads.execute(() -> relay(relay));
            } catch (RejectedExecutionException e) {
                relay.close();
            }
        }
    }

    /** Handshake first, as nginx does, then the backend: a dead backend is a connection closed after TLS. */
    private void relay(TlsRelay relay) {
        try {
            relay.client().setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            relay.client().startHandshake();
            relay.client().setSoTimeout(0);
            relay.client().setTcpNoDelay(true);
            Socket server = new Socket();
            relay.attach(server);
            server.setTcpNoDelay(true);
            server.connect(backend, CONNECT_TIMEOUT_MILLIS);
            threads.execute(relay::backendToClient);
        } catch (IOException | RuntimeException e) {
            relay.close();
            return;
        }
        relay.clientToBackend();
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ended(TlsRelay relay) {
        relays.remove(relay);
        open.decrementAndGet();
    }
}
