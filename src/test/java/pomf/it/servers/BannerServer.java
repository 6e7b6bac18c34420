package pomf.it.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service that greets every connection with one fixed line and hangs up, like an SMTP or FTP server's greeting, or
 * like sshd's identification line without the rest of sshd: cheap enough for hundreds of connections in a tick.
 */
public final class BannerServer implements AutoCloseable {
    private final ServerSocketChannel channel;
    private final byte[] line;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();

    private BannerServer(ServerSocketChannel channel, String line) {
        this.channel = channel;
        this.line = (line + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.acceptor = new Thread(this::serve, "banner-server-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @param line sent with CR LF, e.g. {@code "SSH-2.0-OpenSSH_9.2p1"} or {@code "220 mail ESMTP"} */
    public static BannerServer start(String address, int port, String line) {
        try {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(address, port), 4096);
            return new BannerServer(channel, line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
        }
    }

    public int port() {
        return channel.socket().getLocalPort();
    }

    /** Connections greeted so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        try {
            channel.close();
            acceptor.join(5000);
        } catch (IOException ignored) {
            // The acceptor ends with the channel either way.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve() {
        while (channel.isOpen()) {
            try (SocketChannel client = channel.accept()) {
                connections.incrementAndGet();
                client.write(ByteBuffer.wrap(line));
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException clientGone) {
                // The client hung up before its greeting: the next one may not.
            }
        }
    }
}
