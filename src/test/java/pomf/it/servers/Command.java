package pomf.it.servers;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short system command the fixtures need to finish (ssh-keygen, keytool, ip), run to its end or killed. */
public final class Command {
    private Command() {}

    /** Whether this JVM runs as root: what starting sshd and changing the network need. */
    public static boolean isRoot() {
        try {
            return new UnixSystem().getUid() == 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * @return the command's output (standard error merged in)
     * @throws IllegalStateException when it fails, with its output, or runs longer than the timeout
     */
    public static String run(Duration timeout, String... command) {
        Process process = null;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            // Output is read after the end: these commands print far less than a pipe holds.
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("still running after " + timeout + ": " + List.of(command));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        List.of(command) + " exited with " + process.exitValue() + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + List.of(command), e);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }
}
