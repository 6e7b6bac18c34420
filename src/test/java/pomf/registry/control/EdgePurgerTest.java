package pomf.registry.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.ConfigInjection;
import pomf.it.deployments.StandIn;

/**
 * The origin's purges as edges receive them: real JDK HTTP servers on 127.0.0.1 stand for the edges, and the test
 * reads what arrives (method, path, bearer token, how often and when).
 */
class EdgePurgerTest {
    private static final String TOKEN = "s3cret-token";

    private final List<Edge> edges = new ArrayList<>();
    private final List<EdgePurger> purgers = new ArrayList<>();

    @AfterEach
    void stop() {
        purgers.forEach(EdgePurger::stop);
        edges.forEach(Edge::close);
    }

    @Test
    void aPurgeIsOneDeleteToEveryEdgeCarryingTheSharedToken() throws Exception {
        Edge a = edge(n -> Reply.purged(true));
        Edge b = edge(n -> Reply.purged(true));
        EdgePurger purger = purger(a.base() + "/ , " + b.base(), TOKEN);

        purger.purge("abc123.png");

        for (Edge edge : List.of(a, b)) {
            Seen seen = edge.next(5_000);
            assertThat(seen).as("request to %s", edge.base()).isNotNull();
            assertThat(seen.method()).isEqualTo("DELETE");
            assertThat(seen.path()).isEqualTo("/api/v1/edge/purge/abc123.png");
            assertThat(seen.query()).isNull();
            assertThat(seen.authorization()).isEqualTo("Bearer " + TOKEN);
        }
        // Answered 200: nothing is sent again (a retry would come a second later).
        assertThat(a.next(1_500)).isNull();
        assertThat(b.next(0)).isNull();
    }

    @Test
    void aTakedownSaysSoInItsQuery() throws Exception {
        Edge a = edge(n -> Reply.purged(true));
        EdgePurger purger = purger(a.base(), TOKEN);

        purger.takeDown("abc123.mp4");

        Seen seen = a.next(5_000);
        assertThat(seen.method()).isEqualTo("DELETE");
        assertThat(seen.path()).isEqualTo("/api/v1/edge/purge/abc123.mp4");
        assertThat(seen.query()).isEqualTo("taken-down=true");
        assertThat(seen.authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void oneEdgeGetsItsMessagesInTheOrderTheyWereSent() throws Exception {
        // A takedown with deletion: the edge must see the takedown before the purge, or it ends answering 451.
        Edge a = edge(n -> n == 1 ? new Reply(200, "{\"purged\":true}", 1_000) : Reply.purged(true));
        EdgePurger purger = purger(a.base(), TOKEN);

        purger.takeDown("abc123.mp4");
        purger.purge("abc123.mp4");

        assertThat(a.next(5_000).query()).as("the takedown first").isEqualTo("taken-down=true");
        assertThat(a.next(500))
                .as("the purge, while the takedown is unanswered")
                .isNull();
        Seen second = a.next(5_000);
        assertThat(second).as("the purge, once the takedown is answered").isNotNull();
        assertThat(second.query()).isNull();
    }

    @Test
    void anEdgeThatAnswersAnErrorIsAskedAgainASecondLater() throws Exception {
        Edge a = edge(n -> n == 1 ? Reply.status(503) : Reply.purged(true));
        EdgePurger purger = purger(a.base(), TOKEN);

        purger.purge("abc123.png");

        Seen first = a.next(5_000);
        Seen second = a.next(5_000);
        assertThat(second).isNotNull();
        assertThat(second.path()).isEqualTo(first.path());
        assertThat(second.authorization()).isEqualTo("Bearer " + TOKEN);
        // The first retry waits 500 ms << 1.
        assertThat(TimeUnit.NANOSECONDS.toMillis(second.atNanos() - first.atNanos()))
                .isBetween(900L, 1_900L);
        // The second answer was 200: no third request (it would have come 2 s later).
        assertThat(a.next(2_500)).isNull();
    }

    @Test
    void anEdgeThatIsDownGetsThePurgeOnceItIsBack() throws Exception {
        int port = freePort();
        EdgePurger purger = purger("http://127.0.0.1:" + port, TOKEN);

        purger.purge("abc123.png"); // refused: nothing listens there yet
        Thread.sleep(300);
        Edge back = edge(port, n -> Reply.purged(true));

        Seen seen = back.next(5_000);
        assertThat(seen).as("the retry after the refused connection").isNotNull();
        assertThat(seen.path()).isEqualTo("/api/v1/edge/purge/abc123.png");
        assertThat(back.next(2_500)).isNull();
    }

    @Test
    void anEdgeThatNeverPurgesIsAskedSixTimesWithDoublingPauses() throws Exception {
        Edge a = edge(n -> Reply.status(500));
        EdgePurger purger = purger(a.base(), TOKEN);
        // The real pauses add up to 31 s: the retries run at once here, and their pauses are noted instead.
        Hurried hurried = hurry(purger);

        purger.purge("abc123.png");

        for (int i = 1; i <= 6; i++) {
            assertThat(a.next(5_000)).as("attempt %d", i).isNotNull();
        }
        assertThat(a.next(1_500)).as("a seventh attempt").isNull();
        assertThat(hurried.delays).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L);
    }

    @Test
    void aSlowEdgeDoesNotHoldUpTheOthersTakedowns() throws Exception {
        Edge slow = edge(n -> new Reply(200, "{\"purged\":true}", 8_000));
        Edge quick = edge(n -> Reply.purged(true));
        EdgePurger purger = purger(slow.base() + "," + quick.base(), TOKEN);

        purger.takeDown("abc123.png");
        purger.takeDown("def456.png");

        assertThat(quick.next(1_000))
                .as("the quick edge's first takedown within a second")
                .isNotNull();
        assertThat(quick.next(1_000))
                .as("the quick edge's second takedown within a second")
                .isNotNull();
    }

    @Test
    void withoutATokenNothingIsSentAndTheAdministratorIsToldWhy() throws Exception {
        Edge a = edge(n -> Reply.purged(true));
        Edge b = edge(n -> Reply.purged(true));
        EdgePurger purger = purger(a.base() + "," + b.base(), " ");

        purger.purge("abc123.png");
        purger.takeDown("abc123.png");
        Map<String, String> now = purger.purgeNow("abc123.png");

        assertThat(now)
                .containsExactly(
                        Map.entry(a.base(), "error: no pomf.edge.purge-token configured"),
                        Map.entry(b.base(), "error: no pomf.edge.purge-token configured"));
        assertThat(a.next(1_500)).isNull();
        assertThat(b.next(0)).isNull();
    }

    @Test
    void aPurgeNowSaysPerEdgeWhatHappenedInTheConfiguredOrder() throws Exception {
        Edge purged = edge(n -> Reply.purged(true));
        Edge notCached = edge(n -> new Reply(200, "{\"purged\":false}", 0));
        Edge failing = edge(n -> Reply.status(500));
        String down = "http://127.0.0.1:" + freePort();
        EdgePurger purger =
                purger(String.join(",", failing.base(), down, notCached.base(), purged.base() + "/"), TOKEN);

        Map<String, String> outcomes = purger.purgeNow("abc123.png");

        assertThat(outcomes.keySet()).containsExactly(failing.base(), down, notCached.base(), purged.base());
        assertThat(outcomes.get(purged.base())).isEqualTo("ok");
        assertThat(outcomes.get(notCached.base())).isEqualTo("not cached");
        assertThat(outcomes.get(failing.base())).isEqualTo("error: HTTP 500");
        assertThat(outcomes.get(down)).startsWith("error: java.net.ConnectException");
        Seen seen = purged.next(0);
        assertThat(seen.method()).isEqualTo("DELETE");
        assertThat(seen.query()).as("purgeNow is a purge, not a takedown").isNull();
        assertThat(seen.authorization()).isEqualTo("Bearer " + TOKEN);
        // purgeNow does not retry: the administrator sees the answer instead.
        assertThat(failing.next(0)).isNotNull();
        assertThat(failing.next(1_500)).isNull();
    }

    @Test
    void slowEdgesAreGivenUpOnAfterFiveSecondsTogether() throws Exception {
        Edge slow = edge(n -> new Reply(200, "{\"purged\":true}", 8_000));
        Edge alsoSlow = edge(n -> new Reply(200, "{\"purged\":true}", 8_000));
        Edge quick = edge(n -> Reply.purged(true));
        EdgePurger purger = purger(String.join(" ", slow.base(), alsoSlow.base(), quick.base()), TOKEN);

        long start = System.nanoTime();
        Map<String, String> outcomes = purger.purgeNow("abc123.png");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(outcomes.get(slow.base())).isEqualTo("error: java.net.http.HttpTimeoutException: request timed out");
        assertThat(outcomes.get(alsoSlow.base()))
                .isEqualTo("error: java.net.http.HttpTimeoutException: request timed out");
        assertThat(outcomes.get(quick.base())).isEqualTo("ok");
        // Asked at once, not one after the other: 5 s in all, not 10.
        assertThat(millis).isBetween(4_900L, 7_500L);
    }

    @Test
    void theEdgesAreTheConfiguredUrlsWithoutTrailingSlashes() {
        EdgePurger purger = purger("http://a.example/, http://b.example:8080\n\thttp://c.example/pomf/ ,,", TOKEN);
        assertThat(purger.edges())
                .containsExactly("http://a.example", "http://b.example:8080", "http://c.example/pomf");

        assertThat(purger(" ", TOKEN).edges()).isEmpty();
        EdgePurger none = new EdgePurger();
        none.threads = threads();
        assertThat(ConfigInjection.inject(none, Map.of()).edges()).isEmpty();
        purgers.add(none);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private EdgePurger purger(String edgeList, String token) {
        EdgePurger purger = new EdgePurger();
        purger.threads = threads();
        Map<String, String> settings = new HashMap<>();
        settings.put("pomf.origin.edges", edgeList);
        settings.put("pomf.edge.purge-token", token);
        ConfigInjection.inject(purger, settings);
        purgers.add(purger);
        return purger;
    }

    /** The container's thread factory, as far as the purger uses it. */
    private static ManagedThreadFactory threads() {
        return StandIn.of(ManagedThreadFactory.class, (method, args) -> {
            if (method.equals("newThread") && args.length == 1 && args[0] instanceof Runnable task) {
                return Executors.defaultThreadFactory().newThread(task);
            }
            throw new AssertionError("unexpected call " + method);
        });
    }

    /** Replaces the purger's retry thread by one that runs scheduled retries at once and notes their pauses. */
    private static Hurried hurry(EdgePurger purger) throws ReflectiveOperationException {
        Field field = EdgePurger.class.getDeclaredField("retries");
        field.setAccessible(true);
        ((ScheduledExecutorService) field.get(purger)).shutdownNow();
        Hurried hurried = new Hurried();
        field.set(purger, hurried);
        return hurried;
    }

    private static final class Hurried extends ScheduledThreadPoolExecutor {
        final List<Long> delays = new java.util.concurrent.CopyOnWriteArrayList<>();

        Hurried() {
            super(1, Executors.defaultThreadFactory());
        }

        /** The first attempt, handed over at once: no pause to note. */
        @Override
        public void execute(Runnable command) {
            super.schedule(command, 0, TimeUnit.MILLISECONDS);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(unit.toMillis(delay));
            return super.schedule(command, 0, TimeUnit.MILLISECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private Edge edge(IntFunction<Reply> replies) {
        return edge(0, replies);
    }

    private Edge edge(int port, IntFunction<Reply> replies) {
        Edge edge = new Edge(port, replies);
        edges.add(edge);
        return edge;
    }

    record Seen(String method, String path, String query, String authorization, long atNanos) {}

    record Reply(int status, String body, long delayMillis) {
        static Reply purged(boolean purged) {
            return new Reply(200, "{\"purged\": " + purged + "}", 0);
        }

        static Reply status(int status) {
            return new Reply(status, "", 0);
        }
    }

    /** An edge's purge endpoint: notes every request, answers the n-th (from 1) as {@code replies} says. */
    private static final class Edge implements AutoCloseable {
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final HttpServer server;
        private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
        private final AtomicInteger count = new AtomicInteger();

        Edge(int port, IntFunction<Reply> replies) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> answer(exchange, replies.apply(count.incrementAndGet())));
            server.setExecutor(executor);
            server.start();
        }

        private void answer(HttpExchange exchange, Reply reply) throws IOException {
            seen.add(new Seen(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    System.nanoTime()));
            try {
                Thread.sleep(reply.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** The next request seen, waiting up to {@code millis}; null if none came. */
        Seen next(long millis) throws InterruptedException {
            return seen.poll(millis, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
