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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes one upload to a temporary file while SHA-1, SHA-256 and MD5 (for hash lists that only have it) are computed
 * in the same pass. The caller's thread writes to disk and hashes the first {@link #HASHED_INLINE} bytes; beyond, the
 * hashes run on the shared pool as two ordered chains of chunk updates (MD5; SHA-1 then SHA-256, of about the same
 * cost), so the writing and the hashing of a large file overlap on different cores. Chunks come from a
 * {@link ChunkPool} and go back once hashed; at most four
 * are in flight per sink and a few in all (beyond, the caller's thread hashes), which bounds memory whatever the
 * size and the number of uploads, and none is held while the upload is paused.
 */
public final class ContentSink implements AutoCloseable {
    public static final int CHUNK = ChunkPool.CHUNK;
    private static final int CHUNKS = 4;
    private static final long FLUSH_EVERY = 64L * 1024 * 1024;
    /**
     * The first bytes of every upload are hashed by the writer itself: handing a chunk to two hashing threads costs
     * wake-ups and context switches that exceed what the overlap saves on a small file (and most uploads are small),
     * while a large one loses a few milliseconds once before its hashes run beside its writes.
     */
    public static final long HASHED_INLINE = 4L * 1024 * 1024;

    private final FileChannel channel;
    private final Executor hashing;
    private final Executor flushing;
    private final ChunkPool chunks;
    private final Semaphore inFlight = new Semaphore(CHUNKS);
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest sha256 = digest("SHA-256");
    /**
     * On a chain of its own: with the CPU's SHA instructions, SHA-1 and SHA-256 hash at 1.5-1.8 GB/s each, MD5 (which
     * has none) at 0.75 GB/s, so MD5 alone takes about as long as the two SHAs together and the two chains stay even.
     */
    private final MessageDigest md5 = digest("MD5");

    /** The hashing of the chunks handed to the pool so far: MD5 on one chain, SHA-1 then SHA-256 on the other. */
    private CompletableFuture<Void> md5Tail = CompletableFuture.completedFuture(null);

    private CompletableFuture<Void> shaTail = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> flush = CompletableFuture.completedFuture(null);
    private byte[] current;
    private int fill;
    private long size;
    private long unflushed;

    /** A sink with chunks of its own (tests, tools); uploads share the application's {@link ChunkPool}. */
    public ContentSink(Path file, Executor hashing, Executor flushing) throws IOException {
        this(file, hashing, flushing, new ChunkPool(CHUNKS, CHUNKS));
    }

    public ContentSink(Path file, Executor hashing, Executor flushing, ChunkPool chunks) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
        this.hashing = hashing;
        this.flushing = flushing;
        this.chunks = chunks;
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

    /**
     * The writer is about to wait for more bytes (a slow client): what it has goes to disk and to the hashes now,
     * and its chunk goes back to the pool once hashed, so a waiting upload holds none.
     */
    public void pause() throws IOException {
        if (current == null || fill == 0) {
            return;
        }
        if (!md5Tail.isDone() || !shaTail.isDone()) {
            dispatch();
            return;
        }
        // A slow client's burst: hashing it here costs less than two pool tasks, and frees the chunk at once.
        byte[] chunk = current;
        int length = fill;
        current = null;
        fill = 0;
        writeOut(chunk, length);
        hashHere(chunk, length);
    }

    /** Completes the file: the remaining bytes written, both hashes final, the data durable on disk. */
    public Digest finish() throws IOException {
        if (current != null && fill > 0) {
            dispatch();
        }
        join(CompletableFuture.allOf(md5Tail, shaTail, flush));
        // fdatasync: the data and the size that reads need; the directory entry is synced at publication.
        channel.force(false);
        HexFormat hex = HexFormat.of();
        return new Digest(
                hex.formatHex(sha1.digest()), hex.formatHex(sha256.digest()), size, hex.formatHex(md5.digest()));
    }

    @Override
    public void close() {
        try {
            // Chunks still being hashed must not outlive the sink's owner's view of it.
            CompletableFuture.allOf(md5Tail, shaTail, flush)
                    .exceptionally(e -> null)
                    .join();
            if (current != null) {
                chunks.give(current);
                current = null;
                inFlight.release();
            }
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
        writeOut(chunk, length);
        if (size <= HASHED_INLINE || !chunks.reserveHashing()) {
            // A small file's bytes, or the hashing pool is behind (many uploads at once): chunks would pile up
            // waiting for it, so this one is hashed here, after this sink's earlier ones, which also slows this
            // writer to what the CPU does.
            join(CompletableFuture.allOf(md5Tail, shaTail));
            hashHere(chunk, length);
            return;
        }
        AtomicInteger pending = new AtomicInteger(2);
        Runnable release = () -> {
            if (pending.decrementAndGet() == 0) {
                chunks.give(chunk);
                chunks.hashed();
                inFlight.release();
            }
        };
        md5Tail = md5Tail.thenRunAsync(
                () -> {
                    md5.update(chunk, 0, length);
                    release.run();
                },
                hashing);
        shaTail = shaTail.thenRunAsync(
                () -> {
                    sha1.update(chunk, 0, length);
                    sha256.update(chunk, 0, length);
                    release.run();
                },
                hashing);
    }

    private void hashHere(byte[] chunk, int length) {
        sha1.update(chunk, 0, length);
        md5.update(chunk, 0, length);
        sha256.update(chunk, 0, length);
        chunks.give(chunk);
        inFlight.release();
    }

    private void writeOut(byte[] chunk, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        size += length;
        unflushed += length;
        if (unflushed >= FLUSH_EVERY && flush.isDone()) {
            // Start write-back early so the final fsync does not wait for the whole file.
            unflushed = 0;
            flush = CompletableFuture.runAsync(this::forceQuietly, flushing);
        }
    }

    /** A chunk to fill; waits while four of this sink's chunks are still being hashed (the hashes set the pace). */
    private byte[] takeChunk() throws IOException {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing", e);
        }
        return chunks.take();
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

    /** The outcome of a completed write: the hashes (lowercase hex) and the size. */
    public record Digest(String sha1, String sha256, long size, String md5) {}
}
