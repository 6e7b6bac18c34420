package pomf.edge.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import pomf.it.servers.Command;

/** A small tmpfs mounted on a folder: a disk tier that fills up. Needs root; unmounted by {@link #close()}. */
final class Tmpfs implements AutoCloseable {
    private final Path folder;
    private boolean mounted = true;

    private Tmpfs(Path folder) {
        this.folder = folder;
    }

    /** Mounts {@code megabytes} of tmpfs on {@code folder}, or says why it cannot. */
    static Tmpfs mount(Path folder, int megabytes) throws java.io.IOException {
        Files.createDirectories(folder);
        Command.run(
                Duration.ofSeconds(10),
                "mount",
                "-t",
                "tmpfs",
                "-o",
                "size=" + megabytes + "m",
                "pomf-edge-chaos",
                folder.toString());
        return new Tmpfs(folder);
    }

    /** Why a tmpfs cannot be mounted here, or empty. */
    static Optional<String> unavailable() {
        if (!Command.isRoot()) {
            return Optional.of("mounting a tmpfs needs root; this runs as " + System.getProperty("user.name"));
        }
        return Files.isExecutable(Path.of("/bin/mount")) || Files.isExecutable(Path.of("/usr/bin/mount"))
                ? Optional.empty()
                : Optional.of("no mount command");
    }

    Path folder() {
        return folder;
    }

    @Override
    public synchronized void close() {
        if (!mounted) {
            return;
        }
        mounted = false;
        try {
            Command.run(Duration.ofSeconds(30), "umount", folder.toString());
        } catch (RuntimeException e) {
            Command.run(Duration.ofSeconds(30), "umount", "-l", folder.toString());
        }
    }
}
