package pomf.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real WAR on Payara Micro (origin and admin) over the benchmark's database, as a child process with its root
 * folder and log under the benchmark's throwaway folder. Ready when /health/ready answers 200; close stops it.
 */
final class BenchPayara implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private BenchPayara(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static BenchPayara start(Path basedir, Path work, int port, String dbUrl) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Djdk.nio.maxCachedBufferSize=262144",
                "-Djdk.httpclient.bufsize=65536",
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + LocalRun.commonPoolParallelism(),
                "-Dpomf.http.address=127.0.0.1",
                "-Djava.util.logging.config.file=" + basedir.resolve("server-config/logging.properties"),
                "-Dpomf.db.url=" + dbUrl,
                "-Dpomf.db.user=" + EmbeddedDatabase.USER,
                "-Dpomf.db.password=" + EmbeddedDatabase.PASSWORD,
                "-Dpomf.roles=origin,admin",
                "-Dpomf.storage.dir=" + work.resolve("files"),
                "-Dpomf.public-url=http://127.0.0.1:" + port,
                "-jar",
                basedir.resolve("target/payara-micro.jar").toString(),
                "--deploy",
                basedir.resolve("target/pomf.war").toString(),
                "--contextroot",
                "/",
                "--port",
                Integer.toString(port),
                "--rootdir",
                work.resolve("payara-root").toString(),
                "--prebootcommandfile",
                basedir.resolve("server-config/pre-boot-commands.txt").toString(),
                "--postdeploycommandfile",
                basedir.resolve("server-config/post-deploy-commands.txt").toString(),
                "--nohazelcast");
        Path log = work.resolve("payara.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        BenchPayara payara = new BenchPayara(process, log, port);
        // Ctrl-C: the JVM's hooks run, Payara must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(payara::close));
        try {
            payara.awaitReady();
        } catch (RuntimeException e) {
            payara.close();
            throw e;
        }
        return payara;
    }

    private void awaitReady() {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        long deadline = System.currentTimeMillis() + 300_000;
        String last = "no answer";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara exited early; see " + log);
            }
            try {
                HttpResponse<String> ready = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    System.out.printf("Payara ready in %.1f s%n", (System.nanoTime() - start) / 1e9);
                    return;
                }
                last = "HTTP " + ready.statusCode() + " " + ready.body();
            } catch (IOException e) {
                last = e.toString(); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Payara not ready in 300 s (" + last + "); see " + log);
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGTERM, then SIGKILL after 60 s; a second call does nothing. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
