package pomf.registry.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.http.control.Bearer;
import pomf.http.control.EdgeLink;
import pomf.threads.control.Threads;

/**
 * The origin's side of purging: when a file is deleted, every configured edge ({@code pomf.origin.edges}) is told
 * to drop it, retried with backoff for a while if an edge is unreachable.
 */
@ApplicationScoped
public class EdgePurger {
    private static final Logger LOG = Logger.getLogger(EdgePurger.class.getName());
    private static final int ATTEMPTS = 6;

    @Inject
    @ConfigProperty(name = "pomf.origin.edges")
    Optional<String> edges;

    @Inject
    EdgeLink link;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) /* our nodes offer no h2c */
            .connectTimeout(Duration.ofSeconds(3))
            .build();

    @Resource
    ManagedThreadFactory threads;

    private ScheduledExecutorService retries;

    /** Per edge, the last message sent to it: the next one is sent when it is answered. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> lanes = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        retries = Executors.newSingleThreadScheduledExecutor(Threads.named(threads, "pomf-edge-purge"));
    }

    public void purge(String name) {
        send(name, false);
    }

    /**
     * Tells every edge that {@code name} is taken down: dropped, and answered 451 without asking the origin (retried
     * like {@link #purge}; an edge that never gets it catches up from the origin's list of ban changes).
     */
    public void takeDown(String name) {
        send(name, true);
    }

    private void send(String name, boolean takenDown) {
        if (link.token().isEmpty()) {
            return;
        }
        for (String edge : edgeList()) {
            // One lane per edge: its messages go in the order sent (a takedown with deletion is a takedown, then a
            // purge: the other way round the edge would end answering 451); edges do not wait for each other.
            lanes.compute(edge, (e, tail) -> (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                    .thenCompose(done -> attempt(edge, name, takenDown, 1))
                    .exceptionally(failure -> null)); // a lane never stays failed
        }
    }

    /**
     * Purges {@code name} on every edge once, now, for an administrator waiting on the answer: per edge URL,
     * {@code ok}, {@code not cached} or {@code error: ...}. Deletions use {@link #purge}, which retries instead.
     */
    public Map<String, String> purgeNow(String name) {
        Map<String, CompletableFuture<String>> answers = new LinkedHashMap<>();
        for (String edge : edgeList()) {
            answers.put(
                    edge,
                    link.token().isEmpty()
                            ? CompletableFuture.completedFuture("error: no pomf.edge.purge-token configured")
                            : http.sendAsync(request(edge, name, false), HttpResponse.BodyHandlers.ofString())
                                    .thenApply(EdgePurger::outcome)
                                    .exceptionally(e -> "error: " + (e.getCause() == null ? e : e.getCause())));
        }
        Map<String, String> outcomes = new LinkedHashMap<>();
        answers.forEach((edge, answer) -> outcomes.put(edge, answer.join()));
        return outcomes;
    }

    private static String outcome(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return "error: HTTP " + response.statusCode();
        }
        return response.body().replace(" ", "").contains("\"purged\":true") ? "ok" : "not cached";
    }

    /** The configured edges' base URLs, without a trailing slash. */
    public List<String> edges() {
        return edgeList();
    }

    private HttpRequest request(String edge, String name, boolean takenDown) {
        return HttpRequest.newBuilder(
                        URI.create(edge + "/api/v1/edge/purge/" + name + (takenDown ? "?taken-down=true" : "")))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", Bearer.of(link.token().orElseThrow()))
                .DELETE()
                .build();
    }

    /**
     * Sends one attempt; the answer (or silence, up to the request's timeout) comes on the client's threads, and the
     * result completes when the edge has answered or failed. A failed attempt is retried later, outside the lane.
     */
    private CompletableFuture<Void> attempt(String edge, String name, boolean takenDown, int attempt) {
        HttpRequest request;
        try {
            request = request(edge, name, takenDown);
        } catch (IllegalArgumentException e) { // pomf.origin.edges holds something that is no URL
            LOG.warning(() -> "edge " + edge + " cannot be told to purge " + name + ": " + e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            if (failure == null && response.statusCode() == 200) {
                return null;
            }
            Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
            retry(edge, name, takenDown, attempt, cause == null ? "HTTP " + response.statusCode() : cause.toString());
            return null;
        });
    }

    private void retry(String edge, String name, boolean takenDown, int attempt, String why) {
        if (attempt >= ATTEMPTS) {
            LOG.warning(() -> "edge " + edge + " did not purge " + name + " after " + ATTEMPTS + " attempts: " + why);
            return;
        }
        long delay = 500L << attempt;
        try {
            Runnable again = () -> attempt(edge, name, takenDown, attempt + 1);
            retries.schedule(again, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> "stopping: no retry of the purge of " + name + " at " + edge);
        }
    }

    private List<String> edgeList() {
        return Arrays.stream(edges.orElse("").split("[,\\s]+"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                .toList();
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }
}
