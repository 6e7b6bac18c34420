package pomf.it.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenSSH server (Debian's {@code /usr/sbin/sshd}) on a loopback address and port, with its own host key and
 * configuration in the test's folder, so the system's sshd and its settings are never touched. Nobody can log in: no
 * password, no PAM, no authorized keys. Runs as root, as a node's sshd does (with privilege separation in /run/sshd).
 */
public final class Sshd implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    /** sshd's privilege-separation folder; normally made by the systemd unit, absent in containers and CI. */
    private static final Path PRIVILEGE_SEPARATION = Path.of("/run/sshd");

    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Process process;
    private final String address;
    private final int port;
    private final Path log;

    private Sshd(Process process, String address, int port, Path log) {
        this.process = process;
        this.address = address;
        this.port = port;
        this.log = log;
    }

    /** Why {@link #start} cannot work here, if it cannot: for a test's assumption. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(SSHD) || !Files.isExecutable(SSH_KEYGEN)) {
            return Optional.of("no " + SSHD + " or " + SSH_KEYGEN + " (apt-get install openssh-server)");
        }
        if (!Command.isRoot()) {
            return Optional.of(
                    "sshd needs root for privilege separation; this test runs as " + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    /** Starts sshd and returns once it sends its banner. */
    public static Sshd start(Path folder, String address, int port) {
        try {
            Files.createDirectories(folder);
            String name = "sshd-" + address + "-" + port;
            Path hostKey = folder.resolve(name + "-host-key");
            Files.deleteIfExists(hostKey);
            Files.deleteIfExists(Path.of(hostKey + ".pub"));
            Command.run(STARTUP, SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
            Path config =
                    Files.writeString(folder.resolve(name + ".conf"), config(folder, name, address, port, hostKey));
            privilegeSeparationFolder();
            Path log = folder.resolve(name + ".log");
            // -D stays in the foreground as our child; -e logs to stderr; the absolute path lets sshd re-execute
            // itself.
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Sshd sshd = new Sshd(process, address, port, log);
            sshd.awaitBanner();
            return sshd;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sshd on " + address + ":" + port, e);
        }
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** sshd's own log (stderr), for a failing test's message. */
    public Path log() {
        return log;
    }

    /** Stops sshd and the per-connection processes it forked, by their handles. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String config(Path folder, String name, String address, int port, Path hostKey) {
        return String.join(
                "\n",
                "ListenAddress " + address,
                "Port " + port,
                "HostKey " + hostKey,
                "PidFile " + folder.resolve(name + ".pid"),
                "UsePAM no",
                "AuthorizedKeysFile none",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin no",
                // Witness tests open many connections at once; the default (10:30:100) drops some of them.
                "MaxStartups 200",
                "");
    }

    /**
     * sshd will not start without {@code /run/sshd} (it chroots its unprivileged child there). Creating it as the
     * Debian package's tmpfiles rule would (root, 755) is harmless to a system sshd, which expects exactly that.
     */
    private static void privilegeSeparationFolder() throws IOException {
        if (!Files.isDirectory(PRIVILEGE_SEPARATION)) {
            Files.createDirectories(PRIVILEGE_SEPARATION);
            Files.setPosixFilePermissions(PRIVILEGE_SEPARATION, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private void awaitBanner() throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "sshd exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 500);
                socket.setSoTimeout(1000);
                String line = new BufferedReader(
                                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                        .readLine();
                if (line != null && line.startsWith("SSH-")) {
                    return;
                }
            } catch (IOException notYet) {
                sleep();
            }
        }
        close();
        throw new IllegalStateException("sshd sent no banner within " + STARTUP + ": " + Files.readString(log));
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for sshd", e);
        }
    }
}
