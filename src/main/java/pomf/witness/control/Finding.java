package pomf.witness.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * What a probe found of one node, before it is stamped with the node, the check and the latency into a {@link
 * CheckResult}; and the one place that
 * reads the JDK's network exceptions, so that the three checks call the same failure by the same name.
 */
record Finding(Outcome outcome, String detail) {
    static final Finding OK = new Finding(Outcome.OK, "");
    private static final int MAX_DETAIL = 160;

    static Finding timeout(String what, Duration deadline) {
        return new Finding(Outcome.TIMEOUT, what + " within " + seconds(deadline));
    }

    /**
     * The outermost exception of the chain that names a known failure decides: the HTTP client wraps the socket's
     * exception in its own ({@code ConnectException: Network is unreachable} around a {@code SocketException}), and a
     * connect timeout is a {@code ConnectException} inside an {@code HttpConnectTimeoutException}.
     *
     * @param otherwise the outcome of any other I/O error (a reset, an early close): {@link Outcome#BAD_ANSWER} once
     *     connected; anything that is not an I/O error is a fault of the witness itself
     */
    static Finding of(Throwable failure, Outcome otherwise, Duration deadline) {
        Throwable first = null;
        boolean io = false;
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < 16; cause = cause.getCause()) {
            if (cause instanceof CompletionException || cause instanceof ExecutionException) {
                continue;
            }
            first = first == null ? cause : first;
            io |= cause instanceof IOException;
            Optional<Finding> known = known(cause, deadline);
            if (known.isPresent()) {
                return known.get();
            }
        }
        Throwable shown = first == null ? failure : first;
        return io
                ? new Finding(otherwise, describe(shown))
                : new Finding(
                        Outcome.LOCAL_ERROR,
                        "probe failed: " + shown.getClass().getSimpleName() + " " + describe(shown));
    }

    CheckResult result(Target target, Check check, long startNanos) {
        return new CheckResult(target.node(), check, outcome, Duration.ofNanos(System.nanoTime() - startNanos), detail);
    }

    private static Optional<Finding> known(Throwable cause, Duration deadline) {
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof SSLException || cause instanceof CertificateException) {
            return finding(Outcome.TLS_ERROR, describe(cause));
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return Optional.of(timeout("no connection", deadline));
        }
        if (cause instanceof HttpTimeoutException
                || cause instanceof SocketTimeoutException
                || cause instanceof InterruptedByTimeoutException
                || cause instanceof TimeoutException) {
            return Optional.of(timeout("no answer", deadline));
        }
        // ENETUNREACH: this machine has no route or no link; says nothing about the node.
        if (message.contains("Network is unreachable")) {
            return finding(Outcome.LOCAL_ERROR, "network is unreachable (no route or link on the witness)");
        }
        // EHOSTUNREACH: a route exists but the host does not answer ARP, or a router says so.
        if (cause instanceof NoRouteToHostException
                || message.contains("No route to host")
                || message.contains("Host is unreachable")) {
            return finding(Outcome.UNREACHABLE, "no route to host");
        }
        // The HTTP client reports a refusal as a ConnectException without a message (caused by a closed channel).
        if (cause instanceof ConnectException) {
            return finding(Outcome.REFUSED, "connection refused");
        }
        if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            return finding(Outcome.LOCAL_ERROR, "cannot resolve the address: " + describe(cause));
        }
        return Optional.empty();
    }

    private static Optional<Finding> finding(Outcome outcome, String detail) {
        return Optional.of(new Finding(outcome, detail));
    }

    /** The message without the JDK's class names in it, on one line, short enough for a report column. */
    static String describe(Throwable cause) {
        String message = cause.getMessage() == null
                ? cause.getClass().getSimpleName()
                : cause.getMessage().replaceAll("\\b[a-z]\\w*(\\.[a-z]\\w*)+\\.[A-Z]\\w*: ", "");
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL - 3) + "...";
    }

    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
