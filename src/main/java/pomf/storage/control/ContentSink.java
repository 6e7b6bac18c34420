package pomf.storage.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes one upload to a temporary file while SHA-1 and SHA-256 are computed in the same pass. The caller's
 * thread writes to disk; each hash runs on the shared pool as an ordered chain of chunk updates, so the three
 * costs overlap on different cores. A fixed ring of chunks bounds memory whatever the size.
 */
public final class ContentSink implements AutoCloseable {
    public static final int CHUNK = 256 * 1024;
    private static final int CHUNKS = 4;
    private static final long FLUSH_EVERY = 64L * 1024 * 1024;

    private final FileChannel channel;
    private final Executor hashing;
    private final Executor flushing;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest sha256 = digest("SHA-256");
    private CompletableFuture<Void> sha1Tail = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> sha256Tail = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> flush = CompletableFuture.completedFuture(null);
    private byte[] current;
    private int allocated = 1;
    private int fill;
    private long size;
    private long unflushed;

    public ContentSink(Path file, Executor hashing, Executor flushing) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
        this.hashing = hashing;
        this.flushing = flushing;
        free.add(new byte[CHUNK]);
    }

    public long size() {
        return size + fill;
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (current == null) {
                current = takeChunk();
                fill = 0;
            }
            int n = Math.min(length, CHUNK - fill);
            System.arraycopy(bytes, offset, current, fill, n);
            fill += n;
            offset += n;
            length -= n;
            if (fill == CHUNK) {
                dispatch();
            }
        }
    }

    /** Completes the file: the remaining bytes written, both hashes final, the data durable on disk. */
    public Digest finish() throws IOException {
        if (current != null && fill > 0) {
            dispatch();
        }
        join(CompletableFuture.allOf(sha1Tail, sha256Tail, flush));
        // fdatasync: the data and the size that reads need; the directory entry is synced at publication.
        channel.force(false);
        HexFormat hex = HexFormat.of();
        return new Digest(hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest()), size);
    }

    @Override
    public void close() {
        try {
            // Chunks still being hashed must not outlive the sink's owner's view of it.
            CompletableFuture.allOf(sha1Tail, sha256Tail, flush)
                    .exceptionally(e -> null)
                    .join();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void dispatch() throws IOException {
        byte[] chunk = current;
        int length = fill;
        current = null;
        fill = 0;
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        size += length;
        AtomicInteger pending = new AtomicInteger(2);
        Runnable release = () -> {
            if (pending.decrementAndGet() == 0) {
                free.add(chunk);
            }
        };
        sha1Tail = sha1Tail.thenRunAsync(
                () -> {
                    sha1.update(chunk, 0, length);
                    release.run();
                },
                hashing);
        sha256Tail = sha256Tail.thenRunAsync(
                () -> {
                    sha256.update(chunk, 0, length);
                    release.run();
                },
                hashing);
        unflushed += length;
        if (unflushed >= FLUSH_EVERY && flush.isDone()) {
            // Start write-back early so the final fsync does not wait for the whole file.
            unflushed = 0;
            flush = CompletableFuture.runAsync(this::forceQuietly, flushing);
        }
    }

    private byte[] takeChunk() throws IOException {
        byte[] chunk = free.poll();
        if (chunk != null) {
            return chunk;
        }
        if (allocated < CHUNKS) {
            allocated++;
            return new byte[CHUNK];
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing", e);
        }
    }

    private void forceQuietly() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void join(CompletableFuture<Void> future) throws IOException {
        try {
            future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    /** The outcome of a completed write: both hashes and the size. */
    public record Digest(String sha1, String sha256, long size) {}
}
