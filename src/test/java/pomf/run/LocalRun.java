package pomf.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run command ({@code mvn -DskipTests package exec:java}): Payara Micro with the freshly built WAR in the foreground, on
 * the PostgreSQL named by {@code POMF_DB_URL}/{@code pomf.db.url}, or on an embedded one whose data stays in
 * {@code data/postgres}. Ctrl-C stops Payara first, then PostgreSQL.
 */
public final class LocalRun {

    public static void main(String[] args) throws Exception {
        Path base = Path.of(System.getProperty("pomf.basedir", "."))
                .toAbsolutePath()
                .normalize();
        String dbUrl = setting("pomf.db.url");
        EmbeddedDatabase embedded = null;
        if (dbUrl == null) {
            Path data = Path.of(setting("pomf.data.dir", base.resolve("data").toString()));
            int port = Integer.parseInt(setting("pomf.db.port", "54329"));
            System.out.println("[pomf] no pomf.db.url given: starting embedded PostgreSQL on 127.0.0.1:" + port
                    + " with its data in " + data.resolve("postgres"));
            embedded = EmbeddedDatabase.start(data.resolve("postgres"), true, port, "pomf");
            dbUrl = embedded.url();
        }
        ClassArchive classes = ClassArchive.of(
                base.resolve("target/class-archive"),
                "origin",
                base.resolve("target/payara-micro.jar"),
                base.resolve("target/pomf.war"));
        Process payara = startPayara(base, dbUrl, embedded != null, classes);
        EmbeddedDatabase database = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(payara, database, classes), "pomf-stop"));
        int exit = payara.waitFor();
        System.exit(exit);
    }

    private static Process startPayara(Path base, String dbUrl, boolean embedded, ClassArchive classes)
            throws IOException {
        Path root = base.resolve("target/payara-root");
        deleteTree(root);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                classes.option(),
                "-Xlog:cds=off", // writing an archive lists hundreds of classes it skips, on the console
                "-Xmx" + setting("pomf.heap", "512m"),
                // The throughput collector, as every edge has: an upload's buffers come and go within the request,
                // and with G1 an upload cost 1.1-2x the CPU (side by side in upload-bench: its barriers and its
                // concurrent threads), for pauses this heap's few live objects keep short anyway.
                "-XX:+UseParallelGC",
                // JDK 17's code sweeper drops compiled methods it has not seen on a stack at its safepoint scans,
                // however much of the code cache is free; a request's methods run for microseconds between those
                // scans, so they were dropped and compiled again for as long as the server ran (C2 still took
                // 0.4-1.2 ms of CPU per 100-byte upload after 13,000 uploads; 0-0.5 ms without flushing, the cache
                // then 38 of its 240 MB). JDK 20 removed that sweeper for the same reason.
                "-XX:-UseCodeCacheFlushing",
                // And its other half: even without flushing, the sweeper unlinks the methods it finds "cold" from
                // their compiled code, so they were compiled again and again (282 compilations per 300 uploads of
                // 1 MiB after 6,000; 9 with this, the request work 5.1 ms instead of 5.7-7.0 plus 1-2 ms of JIT).
                "-XX:NmethodSweepActivity=0",
                // Payara's classes take about 110 MB of metaspace; from the JDK's default threshold (21 MB) every
                // growth past the next threshold was a full collection to unload classes, four in a JVM's first
                // minute, the last ones 570-630 ms with the heap in use (an edge's first ranged burst stalled on one).
                "-XX:MetaspaceSize=256m",
                // The JDK caches a temporary direct buffer per thread as large as the largest heap buffer that
                // thread wrote to a socket or file: with hundreds of serving threads that exhausted direct memory.
                "-Djdk.nio.maxCachedBufferSize=262144",
                // java.net.http reads 16 KiB at a time by default: an answer relayed from a bucket then costs a
                // callback, a queue step and a socket write per 16 KiB (2.1-2.4 ms of CPU per MiB). 64 KiB made it
                // 1.4 ms and the download 1.3-1.5x faster (storage-bench); 256 KiB, 1.0-1.3 ms, but a slow client's
                // relay holds a few of these buffers, so the size multiplies by every direct viewer of a bucket.
                "-Djdk.httpclient.bufsize=65536",
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + commonPoolParallelism(),
                "-Dpomf.http.address=" + setting("pomf.http.address", "127.0.0.1"),
                "-Djava.util.logging.config.file=" + base.resolve("server-config/logging.properties"),
                "-Dpomf.db.url=" + dbUrl));
        if (embedded) {
            command.add("-Dpomf.db.user=" + EmbeddedDatabase.USER);
            command.add("-Dpomf.db.password=" + EmbeddedDatabase.PASSWORD);
        }
        if (setting("pomf.public-url") == null) {
            // The links in upload answers point at the port this run listens on, not the production default.
            command.add("-Dpomf.public-url=http://" + setting("pomf.http.address", "127.0.0.1") + ":"
                    + setting("pomf.port", "8080"));
        }
        if (setting("pomf.storage.dir") == null) {
            // Beside the database, so that -Dpomf.data.dir moves everything (it used to leave files in ./data).
            command.add("-Dpomf.storage.dir="
                    + Path.of(setting("pomf.data.dir", base.resolve("data").toString()))
                            .resolve("files"));
        }
        // Every other pomf.* setting given to Maven (-Dpomf.upload.max-size=...) reaches the server.
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String key = e.getKey().toString();
            if (key.startsWith("pomf.") && !key.equals("pomf.db.url") && !key.equals("pomf.basedir")) {
                command.add("-D" + key + "=" + e.getValue());
            }
        }
        command.addAll(List.of(
                "-jar",
                base.resolve("target/payara-micro.jar").toString(),
                "--deploy",
                base.resolve("target/pomf.war").toString(),
                "--contextroot",
                "/",
                "--port",
                setting("pomf.port", "8080"),
                "--rootdir",
                root.toString(),
                "--prebootcommandfile",
                base.resolve("server-config/pre-boot-commands.txt").toString(),
                "--postdeploycommandfile",
                base.resolve("server-config/post-deploy-commands.txt").toString(),
                "--nohazelcast"));
        System.out.println("[pomf] starting Payara Micro on http://" + setting("pomf.http.address", "127.0.0.1") + ":"
                + setting("pomf.port", "8080") + "/");
        return new ProcessBuilder(command).inheritIO().start();
    }

    private static void stop(Process payara, EmbeddedDatabase database, ClassArchive classes) {
        payara.destroy();
        try {
            boolean byItself = payara.waitFor(60, java.util.concurrent.TimeUnit.SECONDS); // a drain: up to 30 s
            if (!byItself) {
                payara.destroyForcibly().waitFor();
            }
            classes.ended(byItself);
            if (database != null) {
                database.close();
            }
        } catch (InterruptedException | IOException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The JDK's shared pool with at least two threads. With fewer than three cores its default is one thread, and
     * then {@code CompletableFuture} runs every asynchronous step on a new thread: {@code java.net.http} adds such a
     * step to each answer of {@code sendAsync}, so an edge started a thread per request it passed to the origin (16%
     * of its CPU under a flood of unknown names, 0.6 ms per request against 0.45 ms with the pool). Our steps after
     * those answers are short and never block. From three cores on this is the JDK's own default, cores - 1.
     */
    public static int commonPoolParallelism() {
        return Math.max(2, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** A system property, or the environment variable of the same name (pomf.db.url → POMF_DB_URL). */
    static String setting(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        return value == null || value.isBlank() ? null : value;
    }

    static String setting(String key, String fallback) {
        String value = setting(key);
        return value == null ? fallback : value;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
