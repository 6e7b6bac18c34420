package pomf.witness.control;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * How this process sends an ICMP echo. Java cannot tell: as an ordinary user {@link InetAddress#isReachable} silently
 * tries TCP port 7 instead, where a refused connection counts as reachable. So the way is chosen once, from the
 * process's capabilities and the tools installed, and said in {@link #mode()}.
 */
sealed interface Pinger permits IcmpEcho, PingCommand, NoPing {
    /** CAP_NET_RAW, the capability to open raw sockets (linux/capability.h). */
    int CAP_NET_RAW = 13;

    /** {@code "icmp"}, {@code "ping command"} or {@code "unavailable: <reason>"}. */
    String mode();

    /**
     * Blocks for at most about the timeout.
     *
     * @throws InterruptedException when the thread is interrupted; a started ping process is destroyed
     */
    Finding ping(InetAddress address, Duration timeout) throws InterruptedException;

    static Pinger detect() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return new NoPing("ICMP checks are only implemented for Linux, this is " + System.getProperty("os.name"));
        }
        Optional<String> status = read(Path.of("/proc/self/status"));
        if (status.isPresent() && hasNetRaw(status.get())) {
            return new IcmpEcho();
        }
        String why = status.isPresent() ? "no CAP_NET_RAW (not root)" : "cannot read /proc/self/status";
        return onPath("ping")
                .map(command -> PingCommand.verified(command, why))
                .orElseGet(() -> new NoPing(why + " and no ping command on the PATH (apt-get install iputils-ping)"));
    }

    /** Reads the effective capability set of a {@code /proc/<pid>/status} text. */
    static boolean hasNetRaw(String procStatus) {
        return procStatus
                .lines()
                .filter(line -> line.startsWith("CapEff:"))
                .map(line -> Long.parseUnsignedLong(
                        line.substring("CapEff:".length()).strip(), 16))
                .anyMatch(effective -> (effective & (1L << CAP_NET_RAW)) != 0);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"))
                .filter(folder -> !folder.isBlank())
                .map(folder -> Path.of(folder, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
