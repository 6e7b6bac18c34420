package pomf.it.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Several hosts on one machine: network namespaces named {@code pomfiso-*}, veth pairs and a bridge, each made by
 * {@code ip}, and processes started inside a namespace by {@code ip netns exec} (which execs the command, so the
 * handle is the process itself). Nothing is added to the machine's own namespace. {@link #close()} stops the processes
 * by their handles and deletes every namespace of the prefix (their links go with them); {@link #create()} does the
 * same first, for what a killed run left behind. Needs root; one user per machine at a time.
 */
public final class Netns implements AutoCloseable {
    public static final String PREFIX = "pomfiso-";

    private static final Path IP = Path.of("/usr/sbin/ip");
    private static final Duration COMMAND = Duration.ofSeconds(10);
    private static final Duration STOP = Duration.ofSeconds(5);

    private final List<Process> processes = new ArrayList<>();

    private Netns() {}

    /** Why {@link #create()} cannot work here, if it cannot: for a test's assumption. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(IP)) {
            return Optional.of("no " + IP + " (apt-get install iproute2)");
        }
        if (!Command.isRoot()) {
            return Optional.of("network namespaces need root; this test runs as " + System.getProperty("user.name"));
        }
        try {
            Command.run(COMMAND, IP.toString(), "netns", "list");
        } catch (RuntimeException e) {
            return Optional.of("ip netns does not work here: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Skips the calling test, with the reason printed, where {@link #create()} cannot work. */
    public static void assumeAvailable() {
        Optional<String> reason = unavailable();
        reason.ifPresent(why -> System.out.println("Skipped, no network namespaces: " + why));
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
    }

    /** A clean slate: the namespaces of {@link #PREFIX} a previous run may have left are deleted. */
    public static Netns create() {
        Netns netns = new Netns();
        netns.deleteNamespaces();
        return netns;
    }

    /** A namespace with its loopback up; {@code name} must start with {@link #PREFIX}. */
    public void addNamespace(String name) {
        if (!name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a " + PREFIX + " name: " + name);
        }
        ip("netns", "add", name);
        ip("-n", name, "link", "set", "lo", "up");
    }

    /** A bridge, up, in {@code namespace}. */
    public void addBridge(String namespace, String bridge) {
        ip("-n", namespace, "link", "add", bridge, "type", "bridge");
        ip("-n", namespace, "link", "set", bridge, "up");
    }

    /**
     * Plugs {@code host} into {@code bridge}: a veth pair whose {@code port} end is a bridge port in {@code
     * switchNamespace} and whose {@code link} end carries {@code address} (CIDR) in {@code host}; both up.
     */
    public void plug(String switchNamespace, String bridge, String port, String host, String link, String address) {
        ip("-n", switchNamespace, "link", "add", port, "type", "veth", "peer", "name", link, "netns", host);
        ip("-n", switchNamespace, "link", "set", port, "master", bridge, "up");
        ip("-n", host, "addr", "add", address, "dev", link);
        ip("-n", host, "link", "set", link, "up");
    }

    /** {@code ip link set LINK up|down} inside {@code namespace}. */
    public void setLink(String namespace, String link, boolean up) {
        ip("-n", namespace, "link", "set", link, up ? "up" : "down");
    }

    /** Runs {@code ip ARGUMENTS} to its end; fails with its output. */
    public String ip(String... arguments) {
        return Command.run(
                COMMAND,
                Stream.concat(Stream.of(IP.toString()), Arrays.stream(arguments))
                        .toArray(String[]::new));
    }

    /**
     * Starts {@code command} inside {@code namespace}, in {@code directory}, its output (standard error merged in) to
     * {@code log}; stopped by {@link #close()} if not before.
     */
    public Process start(String namespace, Path directory, Path log, String... command) {
        List<String> full = new ArrayList<>(List.of(IP.toString(), "netns", "exec", namespace));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            synchronized (processes) {
                processes.add(process);
            }
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + full, e);
        }
    }

    /** Waits until {@code log} contains {@code text}; fails with the log when the process ends or time runs out. */
    public static void awaitLog(Process process, Path log, String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String written = Files.exists(log) ? Files.readString(log) : "";
                if (written.contains(text)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(process.info().commandLine().orElse("process") + " exited with "
                            + process.exitValue() + ": " + written);
                }
                Thread.sleep(50);
            }
            throw new IllegalStateException(
                    "no \"" + text + "\" within " + timeout + " in " + log + ": " + Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The namespaces of {@link #PREFIX} that exist now. */
    public static List<String> namespaces() {
        String listed = Command.run(COMMAND, IP.toString(), "netns", "list");
        return listed.lines()
                .map(line -> line.split(" ")[0])
                .filter(name -> name.startsWith(PREFIX))
                .toList();
    }

    /** Stops the processes started here (by their handles) and deletes every namespace of {@link #PREFIX}. */
    @Override
    public void close() {
        List<Process> started;
        synchronized (processes) {
            started = List.copyOf(processes);
            processes.clear();
        }
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : started) {
            try {
                if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteNamespaces();
    }

    private void deleteNamespaces() {
        for (String name : namespaces()) {
            try {
                ip("netns", "del", name);
            } catch (RuntimeException e) {
                System.out.println("Cannot delete namespace " + name + ": " + e.getMessage());
            }
        }
    }
}
