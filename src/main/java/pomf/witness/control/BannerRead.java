package pomf.witness.control;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One SSH check's connection: connect, read the server's identification line, close. Nothing is ever written, so no
 * credentials (not even a client banner) leave the witness. Callbacks chain on the channel group's threads: no thread
 * waits for a node.
 */
final class BannerRead {
    /** RFC 4253 4.2: the identification line is at most 255 characters with its CR LF. */
    static final int MAX_LINE = 255;

    private final AsynchronousSocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_LINE);
    private final CompletableFuture<Finding> finding = new CompletableFuture<>();
    private volatile boolean connected;

    private BannerRead(AsynchronousSocketChannel channel) {
        this.channel = channel;
    }

    static BannerRead start(AsynchronousChannelGroup group, InetSocketAddress address) throws IOException {
        BannerRead read = new BannerRead(AsynchronousSocketChannel.open(group));
        read.channel.connect(address, null, read.new Connected());
        return read;
    }

    CompletableFuture<Finding> finding() {
        return finding;
    }

    /** Whether the timeout struck while connecting or while waiting for the banner: a lost node or a hung sshd. */
    boolean connected() {
        return connected;
    }

    /** Ends the check early (at its deadline): a pending connect or read fails, and nobody listens anymore. */
    void abort() {
        close();
    }

    /** Banners are ASCII; anything else is shown escaped so a report never carries control characters. */
    static Finding judge(String line) {
        if (line.startsWith("SSH-2.0-") || line.startsWith("SSH-1.99-")) {
            return Finding.OK;
        }
        String shown = line.length() > 60 ? line.substring(0, 60) + "..." : line;
        return new Finding(
                Outcome.BAD_ANSWER, "not an SSH banner: \"" + shown.replaceAll("[^\\x20-\\x7e]", "?") + "\"");
    }

    private void read() {
        channel.read(buffer, null, new Received());
    }

    private void finish(Finding result) {
        finding.complete(result);
        close();
    }

    private void fail(Throwable failure) {
        finding.completeExceptionally(failure);
        close();
    }

    private void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket that already failed: nothing left to release.
        }
    }

    private final class Connected implements CompletionHandler<Void, Void> {
        @Override
        public void completed(Void result, Void attachment) {
            connected = true;
            read();
        }

        @Override
        public void failed(Throwable failure, Void attachment) {
            fail(failure);
        }
    }

    private final class Received implements CompletionHandler<Integer, Void> {
        @Override
        public void completed(Integer count, Void attachment) {
            int end = lineEnd();
            if (end >= 0) {
                String line = new String(buffer.array(), 0, end, StandardCharsets.ISO_8859_1);
                finish(judge(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line));
            } else if (count < 0) {
                finish(new Finding(
                        Outcome.BAD_ANSWER,
                        buffer.position() == 0 ? "closed without a banner" : "closed within the banner line"));
            } else if (!buffer.hasRemaining()) {
                finish(new Finding(Outcome.BAD_ANSWER, "no line break within " + MAX_LINE + " bytes"));
            } else {
                read();
            }
        }

        @Override
        public void failed(Throwable failure, Void attachment) {
            fail(failure);
        }

        private int lineEnd() {
            for (int i = 0; i < buffer.position(); i++) {
                if (buffer.get(i) == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
