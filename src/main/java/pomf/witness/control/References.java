package pomf.witness.control;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The witness's reference points (host:port, literal addresses): when most nodes fail at once, one of them
 * answering a TCP connection shows the witness's own network is fine and the failures are real.
 */
public final class References {
    private References() {}

    /** Whether any reference answered within the timeout; empty when none is configured. */
    public static Optional<Boolean> anyAnswers(List<String> references, Duration timeout, Executor executor) {
        if (references.isEmpty()) {
            return Optional.empty();
        }
        List<CompletableFuture<Boolean>> attempts = references.stream()
                .map(reference -> CompletableFuture.supplyAsync(() -> connects(reference, timeout), executor)
                        .completeOnTimeout(false, timeout.toMillis() + 500, TimeUnit.MILLISECONDS))
                .toList();
        return Optional.of(attempts.stream().anyMatch(CompletableFuture::join));
    }

    private static boolean connects(String reference, Duration timeout) {
        int colon = reference.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(
                            reference.substring(0, colon), Integer.parseInt(reference.substring(colon + 1))),
                    (int) timeout.toMillis());
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
