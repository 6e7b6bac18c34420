package pomf.it.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * named as a child process in the foreground, its output in a log file. It is stopped through its own handle, never
 * by name: other tests' BINDs, and maybe the machine's, run at the same time.
 */
final class BindProcess {
    private static final Path NAMED = Path.of("/usr/sbin/named");

    private final Process process;
    private final Path log;

    private BindProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Path executable() {
        return NAMED;
    }

    /** Starts {@code named -g -4 -c conf}: foreground (so the handle is named itself), IPv4 only. */
    static BindProcess start(Path conf, Path log) {
        try {
            Process process = new ProcessBuilder(NAMED.toString(), "-g", "-4", "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new BindProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until ready says so; throws with the log's tail when named dies first or the deadline passes. */
    void await(BooleanSupplier ready, Duration deadline, String what) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("named exited with " + process.exitValue() + ":\n" + logTail());
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for named", e);
            }
        }
        throw new IllegalStateException("named did not answer " + what + " within " + deadline + ":\n" + logTail());
    }

    /** SIGTERM (named shuts down cleanly), SIGKILL after 10 s; waits either way. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
