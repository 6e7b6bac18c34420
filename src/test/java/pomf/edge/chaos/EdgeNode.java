package pomf.edge.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import pomf.it.deployments.PayaraProcess;

/**
 * The edge under test: a real Payara Micro process started as operators start one (edge role, origin URL, cache
 * folder as system properties), stopped with SIGTERM or killed with SIGKILL and started again on the same folders,
 * with the {@link Situation} told when it goes down and when it is ready again.
 */
final class EdgeNode implements AutoCloseable {
    /** The settings of every phase: short freshness (revalidations), short timeouts, a small store. */
    static final Map<String, String> BASE = Map.of(
            "pomf.edge.valid", "2s",
            "pomf.edge.inactive", "60s",
            "pomf.edge.read-timeout", "2s",
            "pomf.edge.connect-timeout", "1s",
            "pomf.edge.breaker-failures", "3",
            "pomf.edge.breaker-probe", "1s",
            "pomf.edge.max-size", Long.toString(64L << 20),
            "pomf.edge.heap-chunks", "16",
            // The clients are one address asking for removed objects again and again: throttling their 404s
            // would turn answers into 429s the judge cannot weigh (the throttle has its own tests).
            "pomf.not-found-per-minute", "0");

    private final int port;
    private final String originUrl;
    private final String token;
    private final Path work;
    private final Situation situation;
    private final EventLog events;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private volatile PayaraProcess process;

    EdgeNode(int port, String originUrl, String token, Path work, Situation situation, EventLog events) {
        this.port = port;
        this.originUrl = originUrl;
        this.token = token;
        this.work = work;
        this.situation = situation;
        this.events = events;
    }

    int port() {
        return port;
    }

    /** Starts the edge with the phase's settings on {@code cacheDir} and returns once /health/ready says 200. */
    void start(Map<String, String> settings, Path cacheDir) {
        Map<String, String> config = new LinkedHashMap<>(BASE);
        config.putAll(settings);
        config.put("pomf.edge.purge-token", token);
        config.put("pomf.public-url", originUrl);
        config.put("pomf.node.name", "chaos-edge");
        // topology.sh's JVM for an edge: with G1 on 512 MiB every 1 MiB chunk is a humongous object, and the edge
        // spent its time collecting them (old generation at 99 % in the first full run).
        config.put("pomf.it.heap", "512m");
        config.put(
                "pomf.it.jvm-options",
                "-XX:+UseParallelGC -XX:-UseCodeCacheFlushing -XX:NmethodSweepActivity=0 -XX:MetaspaceSize=256m");
        long started = System.nanoTime();
        process = PayaraProcess.edge(port, originUrl, cacheDir, work, config);
        situation.edgeReady();
        events.say("edge ready (pid " + process.pid() + ") after " + (System.nanoTime() - started) / 1_000_000
                + " ms, cache " + cacheDir + ", " + settings);
    }

    /** kill -9: no shutdown hook runs, the store was not closed. */
    void kill() {
        events.say("kill -9 of the edge (pid " + process.pid() + ")");
        process.kill();
        // Labelled after the kill: until it, the edge was ready and answered as such.
        situation.edgeDown("killed -9, starting");
    }

    /** SIGTERM, as an operator restarts it: the store closes cleanly and reopens warm. */
    void stop() {
        // Labelled before the signal: a stopping Payara undeploys while it still answers, which is not "ready".
        situation.edgeDown("stopped, starting");
        events.say("SIGTERM to the edge (pid " + process.pid() + ")");
        process.stop();
    }

    boolean running() {
        PayaraProcess p = process;
        return p != null && p.alive();
    }

    /** The edge's log so far (the current process's). */
    String log() {
        PayaraProcess p = process;
        return p == null ? "" : p.log();
    }

    /** DELETE /api/v1/edge/purge/{name} with the token: "purged", "not cached", "HTTP n" or the failure. */
    String purge(String name) {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/edge/purge/" + name))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                String body = response.body().replaceAll("\\s+", " ");
                return "HTTP " + response.statusCode() + " " + body.substring(0, Math.min(200, body.length()));
            }
            return response.body().contains("\"purged\":true") ? "purged" : "not cached";
        } catch (IOException e) {
            return "failed (" + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public void close() {
        PayaraProcess p = process;
        if (p != null && p.alive()) {
            situation.edgeDown("stopped at the end");
            p.stop();
        }
    }
}
