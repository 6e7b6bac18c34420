package pomf.witness.control;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a node's answer to the canary as it arrives: hashes it, keeps its first bytes for the detail, and stops
 * reading as soon as it is longer than the canary (a node that answers with a huge body costs the witness nothing).
 * The finding says which bytes came when they are wrong: their length, their hash and how they start (an error page's
 * {@code <!DOCTYPE}, zeros of a torn file).
 */
final class CanaryBody implements HttpResponse.BodySubscriber<Finding> {
    private static final int HEAD = 16;

    private final Canary canary;
    private final MessageDigest sha256;
    private final byte[] head = new byte[HEAD];
    private final CompletableFuture<Finding> finding = new CompletableFuture<>();
    private int headLength;
    private long length;
    private Flow.Subscription subscription;

    CanaryBody(Canary canary) {
        this.canary = canary;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** A handler that judges a 2xx answer by its bytes, and any other status as a bad answer (its body discarded). */
    static HttpResponse.BodyHandler<Finding> handler(Canary canary) {
        return info -> info.statusCode() >= 200 && info.statusCode() < 300
                ? new CanaryBody(canary)
                : HttpResponse.BodySubscribers.replacing(
                        new Finding(Outcome.BAD_ANSWER, "HTTP " + info.statusCode() + " for the canary"));
    }

    @Override
    public CompletionStage<Finding> getBody() {
        return finding;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (finding.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            int arrived = item.remaining();
            int kept = Math.min(arrived, HEAD - headLength);
            if (kept > 0) {
                item.duplicate().get(head, headLength, kept);
                headLength += kept;
            }
            length += arrived;
            if (length > canary.size()) {
                subscription.cancel();
                finding.complete(wrong("more than " + canary.size() + " bytes"));
                return;
            }
            sha256.update(item);
        }
    }

    @Override
    public void onError(Throwable failure) {
        finding.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        String got = HexFormat.of().formatHex(sha256.digest());
        finding.complete(
                length == canary.size() && got.equals(canary.sha256())
                        ? Finding.OK
                        : wrong(length + " bytes sha256 " + got.substring(0, 12) + "…"));
    }

    private Finding wrong(String what) {
        return new Finding(
                Outcome.WRONG_CONTENT,
                "got " + what + " starting " + start() + "; the registry has " + canary.size() + " bytes sha256 "
                        + canary.sha256()
                                .substring(0, Math.min(12, canary.sha256().length())) + "…");
    }

    /** The first bytes: as text when they are printable ASCII, else in hex. */
    private String start() {
        if (headLength == 0) {
            return "with nothing";
        }
        boolean text = true;
        for (int i = 0; i < headLength; i++) {
            text &= head[i] >= 0x20 && head[i] < 0x7f;
        }
        return text
                ? "\"" + new String(head, 0, headLength, StandardCharsets.US_ASCII) + "\""
                : "0x" + HexFormat.of().formatHex(head, 0, headLength);
    }
}
