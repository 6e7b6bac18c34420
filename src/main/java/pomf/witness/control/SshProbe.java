package pomf.witness.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import pomf.threads.control.Threads;

/**
 * The SSH check: the node's sshd must greet with an {@code SSH-2.0-} (or {@code SSH-1.99-}) identification line. It
 * proves the machine and its sshd are alive without logging in.
 */
public final class SshProbe implements AutoCloseable {
    private final Duration timeout;
    private final AsynchronousChannelGroup group;

    public SshProbe(ProbeSettings settings) {
        timeout = settings.sshTimeout();
        try {
            // Own threads (not the JVM-wide default group) so that closing the probe closes its sockets.
            group = AsynchronousChannelGroup.withFixedThreadPool(
                    Math.max(2, Runtime.getRuntime().availableProcessors()),
                    Threads.named(settings.threads(), "witness-ssh"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the SSH probe's threads", e);
        }
    }

    /** Never fails: every error becomes a result, and the result comes at the latest at the deadline. */
    public CompletableFuture<CheckResult> check(Target target) {
        long start = System.nanoTime();
        return finding(target).thenApply(finding -> finding.result(target, Check.SSH, start));
    }

    private CompletableFuture<Finding> finding(Target target) {
        BannerRead read;
        try {
            read = BannerRead.start(group, new InetSocketAddress(target.address(), target.sshPort()));
        } catch (IOException | RuntimeException e) {
            // No socket to be had (descriptors exhausted, probe closed, bad port): the witness's fault.
            return CompletableFuture.completedFuture(Finding.of(e, Outcome.LOCAL_ERROR, timeout));
        }
        return read.finding().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).exceptionally(failure -> {
            if (failure instanceof TimeoutException) {
                read.abort();
                return Finding.timeout(read.connected() ? "no banner" : "no connection", timeout);
            }
            return Finding.of(failure, Outcome.BAD_ANSWER, timeout);
        });
    }

    @Override
    public void close() {
        try {
            group.shutdownNow();
        } catch (IOException ignored) {
            // Closing the sockets of abandoned checks: nothing more to do.
        }
    }
}
