package pomf.edge.control;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import pomf.http.control.EdgeLink;

/**
 * Requests passed through to the origin (below min uses, or with the store off), on the JDK's non-blocking HTTP
 * client: the origin's answer is read only as fast as the client takes it (its connection's flow control does the
 * waiting), so a slow client of a pass-through holds no thread. proxy_read_timeout applies between two reads. Its
 * requests wait for their heads in the edge's {@link OriginLanes}.
 */
public final class PassthroughClient {
    private final String base;
    private final Duration readTimeout;
    private final String fetchToken;
    private final HttpClient http;
    private final Set<Passthrough> open = ConcurrentHashMap.newKeySet();
    private final OriginLanes lanes;

    PassthroughClient(
            String base,
            Duration connectTimeout,
            Duration readTimeout,
            String fetchToken,
            OriginLanes lanes,
            Executor executor,
            ScheduledExecutorService timer) {
        this.base = base;
        this.lanes = lanes;
        this.readTimeout = readTimeout;
        this.fetchToken = fetchToken;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .executor(executor)
                .build();
        long every = Math.max(250, Math.min(1000, readTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::expire, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends {@code method} for {@code name} with the client's conditional and range headers; the answer's body is
     * the returned {@link Passthrough}'s, which may switch to the cache when a fill of the same version overtakes it.
     */
    public CompletableFuture<HttpResponse<Passthrough>> send(
            String name, String method, Map<String, String> headers, EdgeCache cache) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/f/" + name))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(readTimeout);
        if (fetchToken != null) {
            request.header(EdgeLink.FETCH_HEADER, fetchToken);
        }
        headers.forEach(request::header);
        HttpRequest built = request.build();
        // The answer future completes with the head: its lane is free while the body streams.
        return lanes.send(() -> http.sendAsync(built, info -> {
            Passthrough body = new Passthrough(name, info, cache, this);
            open.add(body);
            return body;
        }));
    }

    void closed(Passthrough body) {
        open.remove(body);
    }

    private void expire() {
        lanes.expire(System.nanoTime());
        long cutoff = System.nanoTime() - readTimeout.toNanos();
        for (Passthrough body : open) {
            body.expireIfIdleSince(cutoff);
        }
    }
}
