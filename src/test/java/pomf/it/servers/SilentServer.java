package pomf.it.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A hung service: it listens but never accepts, so the kernel completes connections into the backlog and nothing ever
 * answers (no TLS handshake, no banner). Once the backlog is full the kernel drops further connection attempts, which
 * is a connect timeout: either way the client waits for nothing, deterministically and without a thread per client.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;

    private SilentServer(ServerSocket socket) {
        this.socket = socket;
    }

    public static SilentServer start(String address, int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port), 4096);
            return new SilentServer(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
        }
    }

    public String address() {
        return socket.getInetAddress().getHostAddress();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The connections waiting in the backlog are reset. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing was ever accepted: nothing else to release.
        }
    }
}
