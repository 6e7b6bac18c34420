package pomf.it.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;

/**
 * One connection through a {@link TlsFront}: the client's TLS socket, the backend's plain socket, and a copy in each
 * direction on its own thread. A side that ends its output is half-closed on the other side, so a request body's end
 * or a response's end reaches the peer; both directions ended, or any error, closes both sockets.
 */
final class TlsRelay {
    /** Large enough that a 20 MiB body is a few hundred writes, not per-byte work. */
    private static final int BUFFER = 64 * 1024;

    private final SSLSocket client;
    private final Consumer<TlsRelay> onClose;
    private final AtomicInteger directions = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Socket backend;

    TlsRelay(SSLSocket client, Consumer<TlsRelay> onClose) {
        this.client = client;
        this.onClose = onClose;
    }

    SSLSocket client() {
        return client;
    }

    /** Set before connecting, so that {@link #close()} also aborts a connect in progress. */
    void attach(Socket backend) {
        this.backend = backend;
        if (closed.get()) {
            closeQuietly(backend);
        }
    }

    void clientToBackend() {
        copy(client, backend);
    }

    void backendToClient() {
        copy(backend, client);
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
            }
            to.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            close();
            return;
        }
        if (directions.decrementAndGet() == 0) {
            close();
        }
    }

    /** Closes both sockets, which also ends the other direction's blocked read; reports the end once. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(client);
            Socket server = backend;
            if (server != null) {
                closeQuietly(server);
            }
            onClose.accept(this);
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a broken connection: nothing more to release.
        }
    }
}
