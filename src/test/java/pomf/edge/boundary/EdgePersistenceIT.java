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
import pomf.it.clients.PomfClient;
import pomf.it.deployments.PayaraProcess;
import pomf.it.origin.TestOrigin;
import pomf.it.origin.TestOriginObject;

/** The edge across restarts and store failures: warm after a clean stop, cold (and correct) after kill -9. */
class EdgePersistenceIT {
    static final int PORT = 18300;
    static final TestOrigin ORIGIN = TestOrigin.start();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final java.util.List<Path> WORK = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterAll
    static void stopOrigin() {
        ORIGIN.close();
        WORK.forEach(pomf.it.deployments.Deployments::deleteTree);
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

    /** A tmpfs of {@code size} mounted on {@code folder}, or the test skipped (it needs root). */
    static void mountTmpfs(Path folder, String size) throws Exception {
        Process mount = new ProcessBuilder(
                        "mount", "-t", "tmpfs", "-o", "size=" + size, "pomf-edge-full", folder.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs as a full disk: " + output);
    }

    static void umount(Path folder) throws Exception {
        new ProcessBuilder("umount", folder.toString()).inheritIO().start().waitFor();
    }

    /** With min-free 0 the store writes until the disk is full under Ehcache: every answer stays right, the edge up. */
    @Test
    void aCacheDiskThatFillsUnderTheStoreNeverCostsARightAnswer() throws Exception {
        Path work = work();
        Path cache = Files.createDirectories(work.resolve("tiny"));
        mountTmpfs(cache, "2m");
        try {
            TestOriginObject object = ORIGIN.put("/f/full1234.bin", PomfClient.random(5_000_000));
            try (PayaraProcess edge =
                    PayaraProcess.edge(PORT + 1, ORIGIN.url(), cache.resolve("cache"), work, smallDisk(0, Map.of()))) {
                for (int i = 0; i < 6; i++) {
                    assertRight(get(edge, "full1234.bin"), object, null);
                }
                assertReady(edge);
            }
        } finally {
            umount(cache);
        }
    }

    /**
     * Under min-free the store serves what it holds and keeps nothing new; when space comes back it stores again. The
     * disk is a 48 MiB tmpfs that the test fills with a file of its own, as a log or another program would.
     */
    @Test
    void underMinFreeHitsGoOnAndNewObjectsPassThroughUntilSpaceComesBack() throws Exception {
        Path work = work();
        Path disk = Files.createDirectories(work.resolve("small"));
        mountTmpfs(disk, "48m");
        try {
            TestOriginObject kept = ORIGIN.put("/f/kept1234.bin", PomfClient.random(5_000_000));
            TestOriginObject later = ORIGIN.put("/f/late1234.bin", PomfClient.random(3_000_000));
            try (PayaraProcess edge = PayaraProcess.edge(
                    PORT + 3,
                    ORIGIN.url(),
                    disk.resolve("cache"),
                    work,
                    smallDisk(16L << 20, Map.of("pomf.edge.file-copies-size", "0")))) {
                assertRight(get(edge, "kept1234.bin"), kept, "MISS");
                assertRight(get(edge, "kept1234.bin"), kept, "HIT");

                long free = Files.getFileStore(disk).getUsableSpace();
                Path ballast = disk.resolve("ballast");
                try (var out = Files.newOutputStream(ballast)) {
                    byte[] block = new byte[1 << 20];
                    for (long left = free - (8L << 20); left > 0; left -= block.length) {
                        out.write(block, 0, (int) Math.min(block.length, left));
                    }
                }
                assertThat(Files.getFileStore(disk).getUsableSpace()).isLessThan(16L << 20);
                Thread.sleep(1000); // the edge reads the free space at most every half second
                HttpResponse<byte[]> passed = get(edge, "late1234.bin");
                assertRight(passed, later, "BYPASS");
                assertRight(get(edge, "late1234.bin"), later, "BYPASS");
                assertRight(get(edge, "kept1234.bin"), kept, "HIT");
                assertThat(edge.log()).contains("under pomf.edge.min-free");
                assertReady(edge);

                Files.delete(ballast);
                Thread.sleep(1000);
                HttpResponse<byte[]> stored = get(edge, "late1234.bin");
                assertRight(stored, later, "MISS");
                assertRight(get(edge, "late1234.bin"), later, "HIT");
                assertThat(edge.log()).contains("has room again");
            }
        } finally {
            umount(disk);
        }
    }

    /** An edge's settings on a small disk: every object stored at its first use, a store larger than the disk. */
    static Map<String, String> smallDisk(long minFree, Map<String, String> more) {
        Map<String, String> config = new java.util.HashMap<>(more);
        config.put("pomf.edge.min-uses", "1");
        config.put("pomf.edge.max-size", Long.toString(512L << 20));
        config.put("pomf.edge.min-free", Long.toString(minFree));
        return config;
    }

    /** A whole, right answer, with {@code cacheStatus} as its X-Cache-Status (any when null). */
    static void assertRight(HttpResponse<byte[]> answer, TestOriginObject object, String cacheStatus) {
        assertThat(answer.statusCode()).isEqualTo(200);
        if (cacheStatus != null) {
            assertThat(status(answer)).isEqualTo(cacheStatus);
        }
        assertThat(answer.body().length).as(status(answer)).isEqualTo((int) object.size());
        assertThat(firstDifference(answer.body(), object.bytes()))
                .as(status(answer))
                .isEqualTo(-1);
    }

    static void assertReady(PayaraProcess edge) throws IOException, InterruptedException {
        HttpResponse<String> ready = HTTP.send(
                HttpRequest.newBuilder(edge.uri("/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
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
