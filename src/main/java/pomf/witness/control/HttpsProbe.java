package pomf.witness.control;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import pomf.threads.control.Threads;

/**
 * The HTTPS check: a GET of the node's health URL, the certificate and the host name (an IP in the SAN) verified, 2xx
 * passes. One client serves all nodes without a thread per request; keep-alive connections may be reused from one tick
 * to the next, as a browser would.
 */
public final class HttpsProbe implements AutoCloseable {
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient client;

    public HttpsProbe(ProbeSettings settings) {
        timeout = settings.httpsTimeout();
        // The client's own tasks (handshake steps, completions) are short; a small pool is enough for a thousand nodes.
        executor = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                Threads.named(settings.threads(), "witness-https"));
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .sslContext(settings.sslContext())
                .executor(executor)
                .build();
    }

    /** Never fails: every error becomes a result, and the result comes at the latest at the deadline. */
    public CompletableFuture<CheckResult> check(Target target) {
        long start = System.nanoTime();
        return finding(target.checkUrl()).thenApply(finding -> finding.result(target, Check.HTTPS, start));
    }

    /**
     * The canary check: a GET of {@code canary} through the node (its check URL's scheme, address and port), the
     * certificate verified as for the health check; a 2xx answer passes when its bytes hash to the registry's.
     * Never fails, and ends at the latest at the deadline.
     */
    public CompletableFuture<CheckResult> canary(Target target, Canary canary) {
        long start = System.nanoTime();
        return finding(target.checkUrl(), canary).thenApply(finding -> finding.result(target, Check.CANARY, start));
    }

    private CompletableFuture<Finding> finding(URI url) {
        return finding(url, null);
    }

    /** With a canary: its URL on the node is fetched and judged by its bytes; without: {@code url}, by its status. */
    private CompletableFuture<Finding> finding(URI url, Canary canary) {
        if (url == null || !"https".equalsIgnoreCase(url.getScheme())) {
            return CompletableFuture.completedFuture(
                    new Finding(Outcome.LOCAL_ERROR, "the check URL is not an https URL: " + url));
        }
        CompletableFuture<Finding> exchange;
        try {
            HttpRequest request = HttpRequest.newBuilder(canary == null ? url : canary.url(url))
                    .timeout(timeout)
                    .header("User-Agent", "pomf-witness")
                    .GET()
                    .build();
            exchange = canary == null
                    ? client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .thenApply(HttpsProbe::judge)
                    : client.sendAsync(request, CanaryBody.handler(canary)).thenApply(HttpResponse::body);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Finding.of(e, Outcome.LOCAL_ERROR, timeout));
        }
        // The client's own timeouts overrun (a 2 s connect timeout took 3.5-7 s): this deadline is the one that holds.
        return exchange.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).exceptionally(failure -> {
            if (failure instanceof TimeoutException) {
                abandon(exchange);
                return Finding.timeout("no answer", timeout);
            }
            return Finding.of(failure, Outcome.BAD_ANSWER, timeout);
        });
    }

    /**
     * Cancelling an exchange closes its connection and took ~7 ms under load; done on the JDK's single timeout thread it
     * held up every other deadline (1000 timeouts ran 2 s late). So it runs on the client's threads, after the finding.
     */
    private void abandon(CompletableFuture<?> exchange) {
        try {
            executor.execute(() -> exchange.cancel(true));
        } catch (RejectedExecutionException closed) {
            exchange.cancel(true);
        }
    }

    private static Finding judge(HttpResponse<Void> response) {
        int status = response.statusCode();
        return status >= 200 && status < 300 ? Finding.OK : new Finding(Outcome.BAD_ANSWER, "HTTP " + status);
    }

    /** Abandons the checks in flight: their connections close when the client is collected. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
