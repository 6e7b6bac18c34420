package pomf.edge.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import pomf.it.PayaraProcess;
import pomf.it.PomfClient;
import pomf.it.TestOrigin;
import pomf.it.TestOriginObject;

/** The edge across restarts and store failures: warm after a clean stop, cold (and correct) after kill -9. */
class EdgePersistenceIT {
    static final int PORT = 18300;
    static final TestOrigin ORIGIN = TestOrigin.start();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final java.util.List<Path> WORK = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    static void stopOrigin() {
        ORIGIN.close();
        WORK.forEach(pomf.it.Deployments::deleteTree);
    }

    static Path work() throws IOException {
        Path work = Files.createTempDirectory("pomf-it-edge");
        WORK.add(work);
        return work;
    }

    @Test
    void aCleanRestartKeepsTheCacheAndKillNineStartsColdButCorrect() throws Exception {
        Path work = work();
        Path cache = work.resolve("cache");
        TestOriginObject object = ORIGIN.put("/f/keep1234.bin", PomfClient.random(3_000_000));
        Map<String, String> config = Map.of("pomf.edge.min-uses", "1");
        try (PayaraProcess edge = PayaraProcess.edge(PORT, ORIGIN.url(), cache, work, config)) {
            assertThat(status(get(edge, "keep1234.bin"))).isEqualTo("MISS");
            assertThat(status(get(edge, "keep1234.bin"))).isEqualTo("HIT");
            edge.stop();
            assertThat(cache.resolve("closed-cleanly"))
                    .as("closed from the JVM shutdown hook on SIGTERM")
                    .exists();
        }
        ORIGIN.resetCounters();
        try (PayaraProcess edge = PayaraProcess.edge(PORT, ORIGIN.url(), cache, work, config)) {
            assertThat(edge.log()).contains("reopened warm");
            HttpResponse<byte[]> warm = get(edge, "keep1234.bin");
            assertThat(status(warm)).isEqualTo("HIT");
            assertThat(warm.body()).isEqualTo(object.bytes());
            assertThat(ORIGIN.requests("/f/keep1234.bin")).isZero();
            edge.kill();
        }
        try (PayaraProcess edge = PayaraProcess.edge(PORT, ORIGIN.url(), cache, work, config)) {
            assertThat(edge.log()).contains("starts cold", "did not close it cleanly");
            HttpResponse<byte[]> cold = get(edge, "keep1234.bin");
            assertThat(status(cold)).isEqualTo("MISS");
            assertThat(cold.body()).isEqualTo(object.bytes());
            assertThat(status(get(edge, "keep1234.bin"))).isEqualTo("HIT");
        }
    }

    @Test
    void aFullCacheDiskPassesRequestsThroughAndTheEdgeStaysUp() throws Exception {
        Path work = work();
        Path cache = Files.createDirectories(work.resolve("tiny"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "pomf-edge-full", cache.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a 2 MiB tmpfs as a full disk: " + output);
        try {
            TestOriginObject object = ORIGIN.put("/f/full1234.bin", PomfClient.random(5_000_000));
            try (PayaraProcess edge = PayaraProcess.edge(
                    PORT + 1,
                    ORIGIN.url(),
                    cache.resolve("cache"),
                    work,
                    Map.of("pomf.edge.min-uses", "1", "pomf.edge.max-size", Long.toString(512L << 20)))) {
                for (int i = 0; i < 4; i++) {
                    HttpResponse<byte[]> answer = get(edge, "full1234.bin");
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.body().length)
                            .as("answer %d (%s)", i, status(answer))
                            .isEqualTo((int) object.size());
                    assertThat(firstDifference(answer.body(), object.bytes()))
                            .as("answer %d (%s)", i, status(answer))
                            .isEqualTo(-1);
                }
                assertThat(status(get(edge, "full1234.bin")))
                        .as("the store is off")
                        .isEqualTo("BYPASS");
                HttpResponse<String> ready = HTTP.send(
                        HttpRequest.newBuilder(edge.uri("/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
            }
        } finally {
            new ProcessBuilder("umount", cache.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void theStoreStaysWithinItsSize() throws Exception {
        Path work = work();
        Path cache = work.resolve("bounded");
        List<TestOriginObject> objects = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            objects.add(ORIGIN.put("/f/size" + (1000 + i) + ".bin", PomfClient.random(1_000_000)));
        }
        try (PayaraProcess edge = PayaraProcess.edge(
                PORT + 2,
                ORIGIN.url(),
                cache,
                work,
                Map.of(
                        "pomf.edge.min-uses",
                        "1",
                        "pomf.edge.max-size",
                        Long.toString(32L << 20),
                        "pomf.edge.heap-chunks",
                        "1"))) {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < objects.size(); i++) {
                    HttpResponse<byte[]> answer = get(edge, "size" + (1000 + i) + ".bin");
                    assertThat(firstDifference(answer.body(), objects.get(i).bytes()))
                            .isEqualTo(-1);
                }
            }
            long used;
            try (var files = Files.walk(cache)) {
                used = files.filter(Files::isRegularFile)
                        .mapToLong(p -> p.toFile().length())
                        .sum();
            }
            assertThat(used).as("48 MB asked for, 32 MiB allowed").isLessThanOrEqualTo(36L << 20);
        }
    }

    static HttpResponse<byte[]> get(PayaraProcess edge, String name) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(edge.uri("/f/" + name)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static int firstDifference(byte[] a, byte[] b) {
        return java.util.Arrays.mismatch(a, b);
    }

    static String status(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache-Status").orElse("(none)");
    }
}
