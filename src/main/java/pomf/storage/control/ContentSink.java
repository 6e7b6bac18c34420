package pomf.storage.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * Writes one upload to a temporary file while SHA-1, SHA-256 and, while hash lists hold MD5 entries, MD5 are computed
 * in the same pass. The caller's thread writes to disk and hashes the first {@link #HASHED_INLINE} bytes; beyond, the
 * hashes run on the shared pool as two ordered chains of chunk updates of about the same cost (MD5, and SHA-1 then
 * SHA-256; without MD5, SHA-1 and SHA-256), so the writing and the hashing of a large file overlap on different cores. Chunks come from a
 * {@link ChunkPool} and go back once hashed; at most four
 * are in flight per sink and a few in all (beyond, the caller's thread hashes), which bounds memory whatever the
 * size and the number of uploads, and none is held while the upload is paused (but for a fast upload's one chunk
 * while its earlier ones are still being hashed).
 *
 * <p>Whole blocks go to disk with direct I/O ({@code O_DIRECT}) where the file system takes it: the device reads
 * them from an aligned buffer of a small shared set, where a write through the page cache made the kernel copy every
 * byte into freshly allocated pages, the largest cost of a 1 MiB upload after hashing (19% of its CPU in a profile;
 * about 1 ms a MiB on a 2-core virtual machine). The bytes that do not make whole blocks, the tail of a file and
 * everything after a pause for a slow client ends between blocks, go through the page cache as before; the final
 * fdatasync covers both (it flushes the device's cache too). A direct write waits for the device instead of copying,
 * a few hundred microseconds for a chunk, which is about what the copy took on the same thread.
 */
public final class ContentSink implements AutoCloseable {
    public static final int CHUNK = ChunkPool.CHUNK;
    private static final int CHUNKS = 4;
    private static final long FLUSH_EVERY = 64L * 1024 * 1024;
    private static final int WRITES_IN_FLIGHT = 3;
    /**
     * The first bytes of every upload are hashed by the writer itself: handing a chunk to two hashing threads costs
     * wake-ups and context switches that exceed what the overlap saves on a small file (and most uploads are small),
     * while a large one loses a few milliseconds once before its hashes run beside its writes.
     */
    public static final long HASHED_INLINE = 4L * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(ContentSink.class.getName());
    /** Per folder: the block size direct writes must align to, or 0 where the file system refuses direct I/O. */
    private static final Map<Path, Integer> DIRECT_ALIGNMENT = new ConcurrentHashMap<>();
    /**
     * Aligned buffers for direct writes (a chunk's bytes are copied there, then written), shared by every sink: a
     * few are kept, more are made while more writes run at once and dropped afterwards, so the direct memory kept does
     * not grow with the number of threads that ever wrote (hundreds of HTTP workers).
     */
    private static final ArrayBlockingQueue<ByteBuffer> ALIGNED = new ArrayBlockingQueue<>(8);

    /** The file written, or null when the bytes go to {@link #parts} instead. */
    private final FileChannel channel;
    /** The bucket's multipart upload the bytes go to (an S3 store), or null when they go to {@link #channel}. */
    private final S3PartSink parts;
    /** The same file opened for direct I/O, or null (refused by the file system, or turned off). */
    private FileChannel direct;

    private final int alignment;
    private final Path file;
    private final Executor hashing;
    private final Executor flushing;
    private final ChunkPool chunks;
    private final Semaphore inFlight = new Semaphore(CHUNKS);
    private final MessageDigest sha1 = digest("SHA-1");
    private final MessageDigest sha256 = digest("SHA-256");
    /**
     * Only while a hash list holds MD5 entries (else null): with the CPU's SHA instructions, SHA-1 and SHA-256 hash at
     * 1.5-1.8 GB/s each, MD5 (which has none) at 0.75 GB/s, as long as the two SHAs together.
     */
    private final MessageDigest md5;

    /**
     * The two ordered chains of hashing that chunks handed to the pool go through, of about the same cost: MD5 on one
     * and SHA-1 then SHA-256 on the other, or SHA-1 on one and SHA-256 on the other when there is no MD5.
     */
    private final MessageDigest[] left;

    private final MessageDigest[] right;
    private CompletableFuture<Void> leftTail = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> rightTail = CompletableFuture.completedFuture(null);
    private CompletableFuture<Void> flush = CompletableFuture.completedFuture(null);
    /**
     * A large upload's direct writes past its first {@link #HASHED_INLINE} bytes, one after the other on the flushing
     * pool, so that the device's time overlaps the reading instead of stopping it (a direct write waits for the
     * device); at most {@link #WRITES_IN_FLIGHT} at once. The tasks never fail: a failure is kept for the writer.
     */
    private CompletableFuture<Void> writes = CompletableFuture.completedFuture(null);

    private final Semaphore writesInFlight = new Semaphore(WRITES_IN_FLIGHT);
    private volatile IOException writeFailure;
    /** Set by a background write the file system refused as direct I/O (it wrote its bytes through the page cache). */
    private volatile IOException directRefused;

    private byte[] current;
    private int fill;
    /**
     * Bytes past the last whole block when a pause came, kept back so that direct writes stay on block boundaries
     * (at most one block, where the chunk they came in goes back to the pool): the next chunk starts with them.
     */
    private byte[] carry;

    private int carried;
    private long size;
    private long unflushed;

    /** A sink with chunks of its own (tests, tools), MD5 included; uploads share the application's {@link ChunkPool}. */
    public ContentSink(Path file, Executor hashing, Executor flushing) throws IOException {
        this(file, hashing, flushing, new ChunkPool(CHUNKS, CHUNKS), true);
    }

    /** @param md5 whether the MD5 is computed too (its {@link Digest#md5()} is null otherwise) */
    public ContentSink(Path file, Executor hashing, Executor flushing, ChunkPool chunks, boolean md5)
            throws IOException {
        this(file, hashing, flushing, chunks, md5, true);
    }

    /** {@code directIo} false writes everything through the page cache (tests of that path). */
    ContentSink(Path file, Executor hashing, Executor flushing, ChunkPool chunks, boolean md5, boolean directIo)
            throws IOException {
        this.md5 = md5 ? digest("MD5") : null;
        this.left = md5 ? new MessageDigest[] {this.md5} : new MessageDigest[] {sha1};
        this.right = md5 ? new MessageDigest[] {sha1, sha256} : new MessageDigest[] {sha256};
        this.channel = FileChannel.open(file, StandardOpenOption.WRITE);
        this.parts = null;
        FileChannel opened = null;
        int align = directIo ? alignment(file) : 0;
        if (align > 0) {
            try {
                opened = FileChannel.open(file, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT);
            } catch (IOException | UnsupportedOperationException e) {
                DIRECT_ALIGNMENT.put(folder(file), 0);
                LOG.info(() -> "uploads in " + folder(file) + " are written through the page cache: " + e);
                align = 0;
            }
        }
        this.direct = opened;
        this.alignment = align;
        this.file = file;
        this.hashing = hashing;
        this.flushing = flushing;
        this.chunks = chunks;
    }

    /**
     * A sink whose bytes go to a multipart upload in a bucket instead of a file: hashed as for a file, each chunk
     * copied into the upload's part buffer as it is written; {@link #finish()} completes the upload (nothing is at a
     * content address yet).
     */
    public ContentSink(S3PartSink parts, Executor hashing, ChunkPool chunks, boolean md5) {
        this.md5 = md5 ? digest("MD5") : null;
        this.left = md5 ? new MessageDigest[] {this.md5} : new MessageDigest[] {sha1};
        this.right = md5 ? new MessageDigest[] {sha1, sha256} : new MessageDigest[] {sha256};
        this.channel = null;
        this.parts = parts;
        this.direct = null;
        this.alignment = 0;
        this.file = null;
        this.hashing = hashing;
        this.flushing = Runnable::run;
        this.chunks = chunks;
    }

    private void refuseDirect(IOException e) {
        try {
            direct.close();
        } catch (IOException closing) {
            e.addSuppressed(closing);
        }
        direct = null;
        DIRECT_ALIGNMENT.put(folder(file), 0);
        LOG.warning(() -> "direct writes refused in " + folder(file)
                + ", uploads there go through the page cache from now on: " + e);
    }

    private static Path folder(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath() : parent;
    }

    /** The block size of {@code file}'s file system for direct writes, 0 if not known to take them. */
    private static int alignment(Path file) {
        return DIRECT_ALIGNMENT.computeIfAbsent(folder(file), folder -> {
            try {
                long block = Files.getFileStore(folder).getBlockSize();
                // Chunks are whole blocks, and the aligned buffer stays small: anything else is not worth the trouble.
                return block >= 512 && block <= 64 * 1024 && Long.bitCount(block) == 1 && CHUNK % block == 0
                        ? (int) block
                        : 0;
            } catch (IOException | UnsupportedOperationException e) {
                return 0;
            }
        });
    }

    /** Whether whole blocks go to disk with direct I/O (the file system took it). */
    boolean directIo() {
        return direct != null;
    }

    public long size() {
        return size + fill + carried;
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (current == null) {
                startChunk();
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
        pause(true);
    }

    /**
     * Every byte written so far handed to the OS, including those a pause keeps back: a resumable upload's answer
     * promises them (a killed service keeps them). The rest of the file then goes through the page cache unless
     * this ends on a block boundary.
     */
    public void handOver() throws IOException {
        pause(false);
        awaitWrites();
    }

    private void pause(boolean keepBack) throws IOException {
        if (current == null && carried > 0 && !keepBack) {
            startChunk();
        }
        if (current == null || fill == 0) {
            return;
        }
        if (keepBack && size > HASHED_INLINE && (!leftTail.isDone() || !rightTail.isDone())) {
            // A fast client: its earlier chunks are still being hashed. This chunk is filled on and goes whole (one
            // large write and one hashing task), where handing over a piece at every socket read (about 64 KiB) ran
            // the four chunks in flight dry and stalled the reader. A slow client's pause finds the hashing done and
            // hands its bytes over.
            return;
        }
        if (keepBack && direct != null && size % alignment == 0 && fill % alignment != 0) {
            // Keep the bytes past the last whole block back: the rest of the file can then still go by direct I/O.
            int keep = fill % alignment;
            if (carry == null) {
                carry = new byte[alignment];
            }
            fill -= keep;
            System.arraycopy(current, fill, carry, 0, keep);
            carried = keep;
            if (fill == 0) {
                chunks.give(current);
                current = null;
                inFlight.release();
                return;
            }
        }
        if (size + fill > HASHED_INLINE || !leftTail.isDone() || !rightTail.isDone()) {
            // Past the inline part, hashing goes to the pool at every pause too: a fast client pauses after each
            // socket read (about 64 KiB), so hashing here put a large upload's every byte on this one thread.
            dispatch();
            return;
        }
        // A small burst: hashing it here costs less than two pool tasks, and frees the chunk at once.
        byte[] chunk = current;
        int length = fill;
        current = null;
        fill = 0;
        writeOut(chunk, length);
        hashHere(chunk, length);
    }

    /** Completes the file: the remaining bytes written, both hashes final, the data durable on disk. */
    public Digest finish() throws IOException {
        if (current == null && carried > 0) {
            startChunk();
        }
        if (current != null && fill > 0) {
            dispatch();
        }
        join(CompletableFuture.allOf(leftTail, rightTail, flush));
        awaitWrites();
        if (parts != null) {
            parts.seal();
        } else {
            // fdatasync: the data and the size that reads need; the directory entry is synced at publication.
            channel.force(false);
        }
        HexFormat hex = HexFormat.of();
        return new Digest(
                hex.formatHex(sha1.digest()),
                hex.formatHex(sha256.digest()),
                size,
                md5 == null ? null : hex.formatHex(md5.digest()));
    }

    @Override
    public void close() {
        try {
            // Chunks still being hashed must not outlive the sink's owner's view of it.
            CompletableFuture.allOf(leftTail, rightTail, flush, writes)
                    .exceptionally(e -> null)
                    .join();
            if (current != null) {
                chunks.give(current);
                current = null;
                inFlight.release();
            }
            if (channel != null) {
                channel.close();
            }
            if (direct != null) {
                direct.close();
            }
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
            join(CompletableFuture.allOf(leftTail, rightTail));
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
        leftTail = leftTail.thenRunAsync(
                () -> {
                    update(left, chunk, length);
                    release.run();
                },
                hashing);
        rightTail = rightTail.thenRunAsync(
                () -> {
                    update(right, chunk, length);
                    release.run();
                },
                hashing);
    }

    private static void update(MessageDigest[] digests, byte[] chunk, int length) {
        for (MessageDigest digest : digests) {
            digest.update(chunk, 0, length);
        }
    }

    private void hashHere(byte[] chunk, int length) {
        update(left, chunk, length);
        update(right, chunk, length);
        chunks.give(chunk);
        inFlight.release();
    }

    private void writeOut(byte[] chunk, int length) throws IOException {
        if (parts != null) {
            parts.write(chunk, 0, length);
            size += length;
            return;
        }
        if (directRefused != null) {
            awaitWrites();
            IOException refused = directRefused;
            directRefused = null;
            if (direct != null) {
                refuseDirect(refused);
            }
        } else if (writeFailure != null) {
            awaitWrites();
        }
        int directly = 0;
        if (direct != null && size % alignment == 0) {
            // Whole blocks from a block boundary; once a write ends between blocks, the rest of the file goes through
            // the page cache.
            directly = length - length % alignment;
            if (directly > 0) {
                ByteBuffer aligned = ALIGNED.poll();
                if (aligned == null || aligned.alignmentOffset(0, alignment) != 0) {
                    aligned = ByteBuffer.allocateDirect(CHUNK + alignment).alignedSlice(alignment);
                }
                aligned.clear();
                aligned.put(chunk, 0, directly).flip();
                if (size >= HASHED_INLINE) {
                    writeLater(aligned, size);
                } else {
                    directly = writeNow(aligned, size);
                }
            }
        }
        if (directly < length) {
            // After the direct writes before it: the file grows in order, so what a killed service leaves is a
            // prefix of the upload (a resumable upload goes on from its size).
            awaitWrites();
            ByteBuffer buffer = ByteBuffer.wrap(chunk, directly, length - directly);
            long at = size + directly;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        }
        size += length;
        unflushed += length;
        if (unflushed >= FLUSH_EVERY && flush.isDone()) {
            // Start write-back early so the final fsync does not wait for the whole file.
            unflushed = 0;
            flush = CompletableFuture.runAsync(this::forceQuietly, flushing);
        }
    }

    /** Writes {@code aligned} at {@code at} directly, here; returns the bytes written that way (all, unless refused). */
    private int writeNow(ByteBuffer aligned, long at) throws IOException {
        long start = at;
        try {
            while (aligned.hasRemaining()) {
                at += direct.write(aligned, at);
            }
        } catch (IOException e) {
            if (!"Invalid argument".equals(e.getMessage())) {
                throw e; // a full disk, a failing device: as for any write
            }
            // EINVAL: opened for direct I/O, yet the file system refuses its writes (some FUSE and network file
            // systems do). This write and every later one go through the page cache.
            refuseDirect(e);
        } finally {
            ALIGNED.offer(aligned); // dropped when enough are kept
        }
        return (int) (at - start);
    }

    /** Writes {@code aligned} at {@code at} directly, after the writes before it, on the flushing pool. */
    private void writeLater(ByteBuffer aligned, long at) throws IOException {
        try {
            writesInFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ALIGNED.offer(aligned);
            throw new IOException("interrupted while writing", e);
        }
        FileChannel target = direct;
        writes = writes.thenRunAsync(
                () -> {
                    long position = at;
                    try {
                        if (writeFailure != null) {
                            return;
                        }
                        try {
                            while (aligned.hasRemaining()) {
                                position += target.write(aligned, position);
                            }
                        } catch (IOException e) {
                            if (!"Invalid argument".equals(e.getMessage())) {
                                throw e;
                            }
                            directRefused = e; // the rest of this write, and the writer's next ones, by page cache
                            while (aligned.hasRemaining()) {
                                position += channel.write(aligned, position);
                            }
                        }
                    } catch (IOException e) {
                        writeFailure = e;
                    } finally {
                        ALIGNED.offer(aligned);
                        writesInFlight.release();
                    }
                },
                flushing);
    }

    /** Waits for the background writes; their failure, if any, is this writer's. */
    private void awaitWrites() throws IOException {
        writes.join();
        IOException failure = writeFailure;
        if (failure != null) {
            throw new IOException("writing the upload failed: " + failure.getMessage(), failure);
        }
    }

    /** Takes the next chunk to fill, starting with the bytes a pause kept back. */
    private void startChunk() throws IOException {
        current = takeChunk();
        fill = carried;
        if (carried > 0) {
            System.arraycopy(carry, 0, current, 0, carried);
            carried = 0;
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

    /** The outcome of a completed write: the hashes (lowercase hex; {@code md5} null when it was not computed), the size. */
    public record Digest(String sha1, String sha256, long size, String md5) {}
}
