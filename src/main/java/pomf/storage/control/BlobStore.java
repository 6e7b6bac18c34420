package pomf.storage.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The content-addressed blob store: {@code blobs/ab/cd/<sha256>} under the storage folder, and {@code tmp/} for
 * uploads in flight on the same file system, so publishing is one atomic rename after an fsync.
 */
@ApplicationScoped
public class BlobStore {
    private static final Logger LOG = Logger.getLogger(BlobStore.class.getName());

    @Inject
    @ConfigProperty(name = "pomf.storage.dir", defaultValue = "data/files")
    String directory;

    /** How often the sweeps over the storage run: expired links, orphan blobs, unfinished resumable uploads. */
    @Inject
    @ConfigProperty(name = "pomf.storage.janitor-interval", defaultValue = "60")
    int janitorSeconds;

    private Path blobs;
    private Path tmp;

    /** The sweeps' interval in milliseconds ({@code pomf.storage.janitor-interval}, seconds, at least 1). */
    public long janitorMillis() {
        return Math.max(1, janitorSeconds) * 1000L;
    }

    @PostConstruct
    void open() {
        Path root = Path.of(directory).toAbsolutePath().normalize();
        blobs = root.resolve("blobs");
        tmp = root.resolve("tmp");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("storage folder " + root + " cannot be created", e);
        }
    }

    public Path root() {
        return blobs.getParent();
    }

    /** A new, empty temporary file for an upload in flight. */
    public Path newTemp() throws IOException {
        return Files.createFile(tmp.resolve(UUID.randomUUID() + ".part"));
    }

    public Path blob(String sha256) {
        return blobs.resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2, 4))
                .resolve(sha256);
    }

    /**
     * Moves a completed (already fsynced) temporary file to its content address. Replacing is harmless: a blob
     * already there has the same bytes (it is an orphan of a crash, or the caller holds the hash's lock).
     */
    public Path place(Path temp, String sha256) throws IOException {
        Path target = blob(sha256);
        if (!Files.isDirectory(target.getParent())) {
            // Only when missing: createDirectories on an existing folder throws and catches an exception inside.
            Files.createDirectories(target.getParent());
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("temporary and blob folders must be on one file system", e);
        }
        fsyncDirectory(target.getParent());
        return target;
    }

    public void remove(String sha256) {
        Path blob = blob(sha256);
        try {
            Files.deleteIfExists(blob);
            fsyncDirectory(blob.getParent());
        } catch (IOException e) {
            LOG.warning(() -> "blob " + sha256 + " could not be removed (the orphan sweep retries): " + e);
        }
    }

    public boolean exists(String sha256) {
        return Files.isRegularFile(blob(sha256));
    }

    public static void discard(Path temp) {
        if (temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warning(() -> "temporary file " + temp + " could not be removed (swept at next start): " + e);
        }
    }

    /** Removes what uploads interrupted by a crash left in the temporary folder. */
    public int sweepTemporary() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
                removed++;
            }
        }
        return removed;
    }

    /** Visits the hash of every blob last modified before {@code before}. */
    public void forEachBlob(Instant before, Consumer<String> visitor) throws IOException {
        List<Path> stack = new ArrayList<>(List.of(blobs));
        while (!stack.isEmpty()) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(stack.remove(stack.size() - 1))) {
                for (Path entry : entries) {
                    if (Files.isDirectory(entry)) {
                        stack.add(entry);
                    } else if (modifiedBefore(entry, before)) {
                        visitor.accept(entry.getFileName().toString());
                    }
                }
            }
        }
    }

    /** The storage is usable: a small file can be created, synced and removed in the temporary folder. */
    public boolean writable() {
        try {
            Path probe = tmp.resolve("health-" + UUID.randomUUID() + ".probe");
            try (FileChannel channel = FileChannel.open(
                    probe,
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE)) {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                channel.force(false);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean modifiedBefore(Path file, Instant before) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isBefore(before);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
