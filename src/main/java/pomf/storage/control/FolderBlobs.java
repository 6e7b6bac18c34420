package pomf.storage.control;

import java.io.IOException;
import java.io.InputStream;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Logger;
import pomf.delivery.control.BodySource;
import pomf.storage.entity.CorruptBlobException;
import pomf.storage.entity.StagedBlob;

/**
 * The content-addressed blob store in a folder: {@code blobs/ab/cd/<sha256>} under the storage folder, and
 * {@code tmp/} for uploads in flight on the same file system, so publishing is one atomic rename after an fsync.
 */
public final class FolderBlobs implements BlobStore {
    private static final Logger LOG = Logger.getLogger(FolderBlobs.class.getName());

    private final Path blobs;
    private final Path tmp;

    /** Opens (and creates) the store in {@code root}. */
    public FolderBlobs(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        blobs = absolute.resolve("blobs");
        tmp = absolute.resolve("tmp");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("storage folder " + absolute + " cannot be created", e);
        }
    }

    @Override
    public String kind() {
        return "folder";
    }

    @Override
    public Path localFolder() {
        return blobs.getParent();
    }

    @Override
    public Staging stage(Executor hashing, Executor flushing, ChunkPool chunks, boolean md5) throws IOException {
        Path temp = newTemp();
        try {
            ContentSink sink = new ContentSink(temp, hashing, flushing, chunks, md5);
            StagedBlob staged = stage(temp);
            return new Staging(sink, staged);
        } catch (IOException | RuntimeException e) {
            discard(temp);
            throw e;
        }
    }

    @Override
    public StagedBlob stage(Path file) {
        return new StagedBlob() {
            @Override
            public void place(String sha256) throws IOException {
                FolderBlobs.this.place(file, sha256);
            }

            @Override
            public void unplace(String sha256) {
                try {
                    Files.move(blob(sha256), file, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    remove(sha256);
                }
            }

            @Override
            public void discard() {
                FolderBlobs.discard(file);
            }

            @Override
            public String where() {
                return file.toString();
            }
        };
    }

    @Override
    public BodySource open(String sha256, long start, long length) throws IOException {
        return FileBody.open(blob(sha256));
    }

    @Override
    public InputStream read(String sha256) throws IOException {
        return Files.newInputStream(blob(sha256));
    }

    /** A new, empty temporary file for an upload in flight. */
    Path newTemp() throws IOException {
        return Files.createFile(tmp.resolve(UUID.randomUUID() + ".part"));
    }

    /** The blob's file (tests). */
    public Path blob(String sha256) {
        return blobs.resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2, 4))
                .resolve(sha256);
    }

    /**
     * Moves a completed (already fsynced) temporary file to its content address. Replacing is harmless: a blob
     * already there has the same bytes (it is an orphan of a crash, or the caller holds the hash's lock).
     */
    Path place(Path temp, String sha256) throws IOException {
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

    /**
     * Writes the bytes of {@code in} as the blob {@code sha256}, whatever is there now (the move command): into a
     * temporary file of {@code tmp/}, hashed as they are written, fsynced, then renamed to the content address only
     * when their SHA-256 is {@code sha256}. Otherwise the temporary file goes, nothing is at the content address and
     * {@link CorruptBlobException} says what the bytes were. Memory: one buffer of 1 MiB.
     */
    public void placeVerified(InputStream in, String sha256) throws IOException {
        Path temp = tmp.resolve(UUID.randomUUID() + ".move");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[1 << 20];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                    ByteBuffer slice = ByteBuffer.wrap(buffer, 0, n);
                    while (slice.hasRemaining()) {
                        out.write(slice);
                    }
                    bytes += n;
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(sha256)) {
                    throw new CorruptBlobException(sha256, actual, bytes);
                }
                out.force(true);
            }
            place(temp, sha256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        } finally {
            discard(temp);
        }
    }

    @Override
    public void remove(String sha256) {
        Path blob = blob(sha256);
        try {
            Files.deleteIfExists(blob);
            fsyncDirectory(blob.getParent());
        } catch (IOException e) {
            LOG.warning(() -> "blob " + sha256 + " could not be removed (the orphan sweep retries): " + e);
        }
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(blob(sha256));
    }

    static void discard(Path temp) {
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
    @Override
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
    @Override
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
    @Override
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
