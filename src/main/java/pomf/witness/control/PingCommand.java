package pomf.witness.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The system's iputils {@code ping}, for a witness that runs as an ordinary user: it holds the raw-socket capability
 * itself (or uses the kernel's ping sockets). One process per echo, {@code -W} whole seconds.
 */
final class PingCommand implements Pinger {
    /** Time for the process to start and exit around its own wait. */
    private static final Duration SLACK = Duration.ofMillis(500);

    private final Path executable;

    PingCommand(Path executable) {
        this.executable = executable;
    }

    /** Proves the command works here (it may lack its capability in a container) by pinging the loopback once. */
    static Pinger verified(Path executable, String whyNotIcmp) {
        PingCommand command = new PingCommand(executable);
        try {
            Finding loopback = command.ping(InetAddress.getLoopbackAddress(), Duration.ofSeconds(1));
            return loopback.outcome().ok()
                    ? command
                    : new NoPing(whyNotIcmp + " and " + executable + " failed on the loopback: " + loopback.detail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NoPing(whyNotIcmp + " and the ping command's trial was interrupted");
        }
    }

    @Override
    public String mode() {
        return "ping command";
    }

    @Override
    public Finding ping(InetAddress address, Duration timeout) throws InterruptedException {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        ProcessBuilder builder = new ProcessBuilder(
                        executable.toString(), "-n", "-c", "1", "-W", Long.toString(seconds), address.getHostAddress())
                .redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Finding(Outcome.LOCAL_ERROR, "cannot run " + executable + ": " + Finding.describe(e));
        }
        try (InputStream output = process.getInputStream()) {
            if (!process.waitFor(seconds * 1000 + SLACK.toMillis(), TimeUnit.MILLISECONDS)) {
                return Finding.timeout("no echo reply", timeout);
            }
            // A single echo prints a few hundred bytes: they wait in the pipe until the process has exited.
            return judge(process.exitValue(), new String(output.readAllBytes(), StandardCharsets.UTF_8), timeout);
        } catch (IOException e) {
            return new Finding(Outcome.LOCAL_ERROR, "cannot read the ping command's output: " + Finding.describe(e));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Reads iputils' exit status (0 a reply, 1 no reply, 2 an error) and its messages. */
    static Finding judge(int exit, String output, Duration timeout) {
        if (exit == 0) {
            return Finding.OK;
        }
        if (output.contains("Network is unreachable")) {
            return new Finding(Outcome.LOCAL_ERROR, "network is unreachable (no route or link on the witness)");
        }
        if (output.contains("No route to host")) {
            return new Finding(Outcome.UNREACHABLE, "no route to host");
        }
        if (exit == 1) {
            // "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable": a router or the kernel (ARP) gave up on it.
            return output.lines()
                    .filter(line -> line.startsWith("From ") && line.contains("Unreachable"))
                    .findFirst()
                    .map(line -> new Finding(Outcome.UNREACHABLE, line.replaceFirst(" icmp_seq=\\d+", "")))
                    .orElseGet(() -> Finding.timeout("no echo reply", timeout));
        }
        String first = output.lines().findFirst().orElse("").strip();
        return new Finding(Outcome.LOCAL_ERROR, "ping failed (exit " + exit + "): " + first);
    }
}
