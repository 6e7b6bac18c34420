package pomf.it.deployments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pomf.run.ClassArchive;

/**
 * A Payara Micro started from the real WAR as a process of its own, on the test JVM's database, so a test can run
 * several instances at once (an edge beside an origin, a second witness), stop one cleanly, kill it with SIGKILL,
 * and start it again on the same folders (what Arquillian cannot do).
 */
public final class PayaraProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final String address;
    private final int port;

    private PayaraProcess(Process process, Path log, String address, int port) {
        this.process = process;
        this.log = log;
        this.address = address;
        this.port = port;
    }

    /** An edge-only instance in front of {@code originUrl} with its cache in {@code cacheDir}. */
    public static PayaraProcess edge(int port, String originUrl, Path cacheDir, Path work, Map<String, String> config) {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("pomf.roles", "edge");
        all.put("pomf.edge.origin-url", originUrl);
        all.put("pomf.edge.cache-dir", cacheDir.toString());
        all.putAll(config);
        return start(port, work, all);
    }

    /** An instance with the given configuration (system properties), {@code pomf.roles} included. */
    public static PayaraProcess start(int port, Path work, Map<String, String> config) {
        return start("127.0.0.1", port, work, config);
    }

    /**
     * An instance listening on {@code address} (a loopback address of its own, so that several can share a port as
     * nodes of one DNS record do). The configuration overrides the defaults: the test JVM's database.
     */
    /** A configuration key with this prefix is an environment variable of the process, not a system property. */
    public static final String ENV = "env.";

    public static PayaraProcess start(String address, int port, Path work, Map<String, String> config) {
        String base = System.getProperty("pomf.basedir", ".");
        String war = System.getProperty("pomf.war", base + "/target/pomf.war");
        String jar = System.getProperty("payara.microJar", base + "/target/payara-micro.jar");
        Map<String, String> all = new java.util.LinkedHashMap<>();
        all.put("jdk.nio.maxCachedBufferSize", "262144"); // temporary direct buffers over 256 KiB are freed (LocalRun)
        all.put("jdk.httpclient.bufsize", "65536"); // the HTTP client reads 64 KiB at a time (LocalRun)
        // At least two threads in the JDK's shared pool, or every answer of sendAsync starts a thread (LocalRun).
        all.put(
                "java.util.concurrent.ForkJoinPool.common.parallelism",
                Integer.toString(pomf.run.LocalRun.commonPoolParallelism()));
        all.put("pomf.http.address", address);
        all.put("java.util.logging.config.file", base + "/server-config/logging.properties");
        all.put("pomf.db.url", System.getProperty(EmbeddedDatabaseSession.URL_PROPERTY));
        all.put("pomf.db.user", System.getProperty("pomf.it.db.user"));
        all.put("pomf.db.password", System.getProperty("pomf.it.db.password"));
        all.putAll(config);
        // The test JVM's many Payara starts share a class archive per role set, as the launchers do.
        ClassArchive classes = ClassArchive.of(
                Path.of(base, "target", "class-archive"), all.get("pomf.roles"), Path.of(jar), Path.of(war));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                classes.option(),
                "-Xlog:cds=off", // writing an archive lists hundreds of classes it skips
                "-Xmx" + all.getOrDefault("pomf.it.heap", "384m")));
        // JVM options beyond the heap, space-separated: e.g. the ParallelGC topology.sh gives every edge.
        for (String option : all.getOrDefault("pomf.it.jvm-options", "").split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (k.startsWith(ENV)) {
                environment.put(k.substring(ENV.length()), v); // secrets come from the environment (S3 keys)
            } else {
                command.add("-D" + k + "=" + v);
            }
        });
        command.addAll(List.of(
                "-jar",
                jar,
                "--deploy",
                war,
                "--contextroot",
                "/",
                "--port",
                Integer.toString(port),
                "--rootdir",
                work.resolve("payara-" + System.nanoTime()).toString(),
                "--prebootcommandfile",
                base + "/server-config/pre-boot-commands.txt",
                "--postdeploycommandfile",
                base + "/server-config/post-deploy-commands.txt",
                "--nohazelcast"));
        try {
            Path log = work.resolve("payara-" + address + "-" + port + "-" + System.nanoTime() + ".log");
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            Process process = builder.redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            // Killed (128 + SIGKILL), its archive may be cut short; any other end wrote it whole.
            process.onExit().thenRun(() -> classes.ended(process.exitValue() != 137));
            PayaraProcess payara = new PayaraProcess(process, log, address, port);
            try {
                payara.awaitReady();
            } catch (RuntimeException e) {
                payara.kill(); // never leave a half-started server behind, holding its port for the next test
                throw e;
            }
            return payara;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        // HTTP/1.1: the default HTTP/2 upgrade request can hang past its timeout on a Payara still booting.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.currentTimeMillis() + 240_000;
        String last = "no probe yet";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara on port " + port + " exited early; see " + log);
            }
            try {
                HttpResponse<String> ready = http.send(
                        HttpRequest.newBuilder(uri("/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + ready.statusCode();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new IllegalStateException("Payara on port " + port + " not ready in time (last probe: " + last
                + "; last lines of its log: " + tail(12) + "; threads printed to the test's output); see " + log);
    }

    /**
     * The log's last {@code lines} lines (stack frames left out), folded onto one, and the process's threads on
     * standard output: what a start that never became ready was doing, for a CI run whose files are gone.
     */
    private String tail(int lines) {
        try {
            ProcessBuilder jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(process.pid()),
                            "Thread.print")
                    .redirectErrorStream(true);
            Process dump = jcmd.start();
            System.out.println(
                    new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            dump.waitFor(30, TimeUnit.SECONDS);
            List<String> all = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1).stream()
                    .filter(line -> !line.isBlank() && !line.stripLeading().startsWith("at "))
                    .toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    public URI uri(String path) {
        return URI.create("http://" + address + ":" + port + path);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as systemd or Ctrl-C stop it; waits for the process to end. */
    public void stop() {
        process.destroy();
        awaitExit();
    }

    /** SIGTERM without waiting: what the node does while it stops is the test's to watch. */
    public void signalStop() {
        process.destroy();
    }

    /** Waits up to {@code seconds} for the process to end; its exit code, or -1 while it still runs. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
