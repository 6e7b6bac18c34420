package pomf.storage.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file and both hashes, whatever the size and however the bytes arrive. */
class ContentSinkTest {
    private static final int CHUNK = ContentSink.CHUNK;

    @TempDir
    Path dir;

    private ExecutorService hashing;
    private ExecutorService flushing;

    @BeforeEach
    void pools() {
        hashing = Executors.newFixedThreadPool(4);
        flushing = Executors.newCachedThreadPool();
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        hashing.shutdown();
        flushing.shutdown();
        assertThat(hashing.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(flushing.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(
            ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 4 * CHUNK, 5 * CHUNK + 7, 5 * 1024 * 1024, 9 * 1024 * 1024 + 3})
    void randomWriteSizesGiveTheSameBytesAndHashesAsMessageDigest(int size) throws IOException {
        Random random = new Random(size);
        byte[] data = new byte[size];
        random.nextBytes(data);

        for (int maxWrite : new int[] {1 + size / 1000, 70_000, 3 * CHUNK}) {
            // MD5 only on some: without it the hashing chains are SHA-1 and SHA-256.
            boolean md5 = maxWrite != 70_000;
            Path file = Files.createFile(dir.resolve("upload-" + maxWrite));
            ContentSink.Digest digest;
            try (ContentSink sink = new ContentSink(file, hashing, flushing, new ChunkPool(4, 4), md5)) {
                int offset = 0;
                while (offset < size) {
                    int n = Math.min(size - offset, random.nextInt(maxWrite + 1));
                    sink.write(data, offset, n);
                    offset += n;
                    assertThat(sink.size()).isEqualTo(offset);
                }
                digest = sink.finish();
            }

            assertThat(digest).isEqualTo(md5 ? expected(data) : withoutMd5(expected(data)));
            assertThat(Files.readAllBytes(file)).isEqualTo(data);
        }
    }

    static ContentSink.Digest withoutMd5(ContentSink.Digest digest) {
        return new ContentSink.Digest(digest.sha1(), digest.sha256(), digest.size(), null);
    }

    /**
     * Pauses for a slow client at block boundaries and between them, so the file is written by direct I/O in whole
     * blocks, through the page cache after an unaligned pause, and through the page cache alone when direct I/O is
     * off: the same bytes and hashes every way.
     */
    @ParameterizedTest(name = "direct I/O {0}")
    @ValueSource(booleans = {true, false})
    void pausesOnAndOffBlockBoundariesGiveTheSameBytesAndHashes(boolean directIo) throws IOException {
        Random random = new Random(directIo ? 11 : 12);
        for (int round = 0; round < 6; round++) {
            // Round 1 goes past the inline part, where direct writes run in the background.
            int size = round == 0
                    ? 3 * CHUNK
                    : 4096 * random.nextInt(round == 1 ? 2000 : 200) + random.nextInt(3) * random.nextInt(4096);
            if (round == 1) {
                size += (int) ContentSink.HASHED_INLINE;
            }
            byte[] data = new byte[size];
            random.nextBytes(data);
            Path file = Files.createFile(dir.resolve("paused-" + directIo + "-" + round));
            ContentSink.Digest digest;
            // MD5 with direct I/O, none without: both hashing layouts through pauses.
            try (ContentSink sink = new ContentSink(file, hashing, flushing, new ChunkPool(4, 4), directIo, directIo)) {
                int offset = 0;
                while (offset < size) {
                    // A write of whole blocks or of any length, and a pause after every other one.
                    int n = random.nextBoolean() ? 4096 * (1 + random.nextInt(80)) : 1 + random.nextInt(100_000);
                    n = Math.min(size - offset, n);
                    sink.write(data, offset, n);
                    offset += n;
                    if (random.nextBoolean()) {
                        sink.pause();
                    }
                }
                digest = sink.finish();
            }

            assertThat(Files.readAllBytes(file))
                    .as("round %d, %d bytes", round, size)
                    .isEqualTo(data);
            assertThat(digest).isEqualTo(directIo ? expected(data) : withoutMd5(expected(data)));
        }
    }

    @Test
    void writeHonoursOffsetAndLengthOfTheCallersBuffer() throws IOException {
        byte[] buffer = "xxHELLOyy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Path file = Files.createFile(dir.resolve("offset"));
        ContentSink.Digest digest;
        try (ContentSink sink = new ContentSink(file, hashing, flushing)) {
            sink.write(buffer, 2, 5);
            sink.write(buffer, 0, 0);
            digest = sink.finish();
        }

        assertThat(Files.readString(file)).isEqualTo("HELLO");
        assertThat(digest.sha256())
                .isEqualTo(hex("SHA-256", "HELLO".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(digest.size()).isEqualTo(5);
    }

    @Test
    void earlyWriteBackOfLargeUploadsDoesNotChangeTheResult() throws IOException {
        // Past 64 MiB the sink starts flushing on the flushing pool while it keeps writing.
        Random random = new Random(64);
        byte[] block = new byte[1024 * 1024 + 13];
        random.nextBytes(block);
        MessageDigest sha1 = digest("SHA-1");
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        Path file = Files.createFile(dir.resolve("large"));
        long size = 0;
        ContentSink.Digest result;
        try (ContentSink sink = new ContentSink(file, hashing, flushing)) {
            for (int i = 0; i < 140; i++) {
                block[i % block.length] ^= (byte) i;
                sink.write(block, 0, block.length);
                sha1.update(block);
                sha256.update(block);
                md5.update(block);
                size += block.length;
            }
            result = sink.finish();
        }

        HexFormat hex = HexFormat.of();
        assertThat(result)
                .isEqualTo(new ContentSink.Digest(
                        hex.formatHex(sha1.digest()),
                        hex.formatHex(sha256.digest()),
                        size,
                        hex.formatHex(md5.digest())));
        assertThat(Files.size(file)).isEqualTo(size);
    }

    @Test
    void emptyUploadHasTheWellKnownEmptyHashes() throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));
        try (ContentSink sink = new ContentSink(file, hashing, flushing)) {
            ContentSink.Digest digest = sink.finish();

            assertThat(digest.sha1()).isEqualTo("da39a3ee5e6b4b0d3255bfef95601890afd80709");
            assertThat(digest.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
            assertThat(digest.size()).isZero();
        }
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void closeWithoutFinishWaitsForEveryHashingTask() throws IOException {
        // A slow pool: close() must not return while a chunk is still being hashed (its buffer would be reused).
        java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor slow = late(20, submitted, () -> done.incrementAndGet());
        Path file = Files.createFile(dir.resolve("abandoned"));
        // The first HASHED_INLINE bytes are hashed by the writer; the three chunks after them go to the pool.
        byte[] data = new byte[(int) ContentSink.HASHED_INLINE + 3 * CHUNK];
        try (ContentSink sink = new ContentSink(file, slow, flushing)) {
            sink.write(data, 0, data.length);
        }

        assertThat(submitted.get()).isEqualTo(6);
        assertThat(done.get()).isEqualTo(submitted.get());
    }

    @Test
    void pausingWritesWhatIsBufferedAndTheResultIsTheSame() throws IOException {
        Random random = new Random(3);
        byte[] data = random(random, 3 * CHUNK + 1234);
        Path file = Files.createFile(dir.resolve("paused"));
        long block = Files.getFileStore(dir).getBlockSize();
        ContentSink.Digest digest;
        try (ContentSink sink = new ContentSink(file, hashing, flushing)) {
            int offset = 0;
            while (offset < data.length) {
                int n = Math.min(data.length - offset, 1 + random.nextInt(20_000));
                sink.write(data, offset, n);
                offset += n;
                sink.pause();
                // A paused upload's bytes are on their way to disk, not in a chunk of its own: all but those past the
                // last whole block, kept back (in a block-sized buffer) so that direct writes stay aligned.
                assertThat(Files.size(file)).isBetween(offset - block + 1, (long) offset);
                assertThat(sink.size()).isEqualTo(offset);
            }
            sink.pause();
            digest = sink.finish();
        }

        assertThat(digest).isEqualTo(expected(data));
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void handingOverPutsEveryByteInTheFileAndWritingGoesOn() throws IOException {
        byte[] data = random(new Random(5), 2 * CHUNK + 5000);
        Path file = Files.createFile(dir.resolve("handed-over"));
        ContentSink.Digest digest;
        try (ContentSink sink = new ContentSink(file, hashing, flushing)) {
            int offset = 0;
            for (int n : new int[] {4096 + 17, 3, 60_000, 4096 * 3, CHUNK + 1000}) {
                sink.write(data, offset, n);
                offset += n;
                sink.pause();
                sink.handOver();
                // A resumable upload's answer tells the client these bytes are stored: all of them are with the OS.
                assertThat(Files.size(file)).isEqualTo(offset);
            }
            sink.write(data, offset, data.length - offset);
            digest = sink.finish();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(digest).isEqualTo(expected(data));
    }

    /**
     * Past the inline part a large upload's direct writes run on the flushing pool, beside the reading; a hand-over
     * waits for them (the answer promises the bytes), and the file only ever grows in order.
     */
    @Test
    void pastTheInlinePartDirectWritesRunInTheBackgroundAndAHandOverWaitsForThem() throws IOException {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor countingFlushing = task -> {
            writes.incrementAndGet();
            flushing.execute(task);
        };
        int inline = (int) ContentSink.HASHED_INLINE;
        byte[] data = random(new Random(8), inline + 9 * CHUNK + 777);
        Path file = Files.createFile(dir.resolve("background-writes"));
        ContentSink.Digest digest;
        boolean directIo;
        try (ContentSink sink = new ContentSink(file, hashing, countingFlushing, new ChunkPool(4, 4), false)) {
            directIo = sink.directIo();
            sink.write(data, 0, inline);
            int offset = inline;
            for (int i = 0; i < 8; i++) {
                sink.write(data, offset, CHUNK);
                offset += CHUNK;
                if (i % 3 == 2) {
                    sink.handOver();
                    assertThat(Files.size(file)).isEqualTo(offset);
                }
            }
            sink.write(data, offset, data.length - offset);
            digest = sink.finish();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(digest).isEqualTo(withoutMd5(expected(data)));
        if (directIo) {
            assertThat(writes.get())
                    .as("a background write per chunk past the inline part")
                    .isGreaterThanOrEqualTo(8);
        } else {
            System.out.println("the test folder's file system refuses direct I/O: no background writes to count");
        }
    }

    @Test
    void manyPausedUploadsShareAFewChunks() throws IOException {
        ChunkPool pool = new ChunkPool(8, 16);
        byte[] burst = new byte[2000];
        java.util.List<ContentSink> waiting = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                ContentSink sink =
                        new ContentSink(Files.createFile(dir.resolve("slow" + i)), hashing, flushing, pool, true);
                waiting.add(sink);
                sink.write(burst, 0, burst.length);
                sink.pause();
            }
            for (int round = 0; round < 5; round++) {
                for (ContentSink sink : waiting) {
                    sink.write(burst, 0, burst.length);
                    sink.pause();
                }
            }
            for (ContentSink sink : waiting) {
                assertThat(sink.finish().size()).isEqualTo(6L * burst.length);
            }
        } finally {
            waiting.forEach(ContentSink::close);
        }

        assertThat(pool.made())
                .as("chunks allocated for 100 uploads that each wait between bursts")
                .isLessThanOrEqualTo(4 * 4 + 8);
    }

    /**
     * A fast client pauses after every socket read. Past the inline part, while earlier chunks are still being
     * hashed, a pause keeps its chunk and fills it on: whole chunks go to the pool, not a piece per read (which ran
     * the chunks in flight dry and stalled the reader); bytes and hashes are the same.
     */
    @Test
    void aFastClientsPausesFillChunksWholeWhileTheHashingIsBusy() throws Exception {
        java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor slowHashing = late(5, submitted, () -> {});
        Random random = new Random(21);
        int size = (int) ContentSink.HASHED_INLINE + 32 * CHUNK + 4321;
        byte[] data = random(random, size);
        Path file = Files.createFile(dir.resolve("fast-pauses"));
        ContentSink.Digest digest;
        try (ContentSink sink = new ContentSink(file, slowHashing, flushing, new ChunkPool(8, 8), false)) {
            for (int offset = 0; offset < size; offset += 64 * 1024) {
                sink.write(data, offset, Math.min(64 * 1024, size - offset));
                sink.pause();
            }
            digest = sink.finish();
        }

        assertThat(Files.readAllBytes(file)).isEqualTo(data);
        assertThat(digest).isEqualTo(withoutMd5(expected(data)));
        // 32 whole chunks past the inline part are 64 tasks (two chains); a piece per read would have been 260.
        assertThat(submitted.get()).isBetween(64, 100);
    }

    @Test
    void whenTheHashingPoolIsBehindTheWriterHashesItselfWithTheSameResult() throws IOException {
        // No place left on the pool: every chunk is hashed by the writer, in order, and none waits anywhere.
        java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Executor counting = task -> {
            submitted.incrementAndGet();
            hashing.execute(task);
        };
        ChunkPool full = new ChunkPool(4, 0);
        Random random = new Random(5);
        byte[] data = new byte[5 * CHUNK + 99];
        random.nextBytes(data);
        Path file = Files.createFile(dir.resolve("behind"));
        ContentSink.Digest digest;
        try (ContentSink sink = new ContentSink(file, counting, flushing, full, true)) {
            for (int offset = 0; offset < data.length; offset += 70_000) {
                sink.write(data, offset, Math.min(70_000, data.length - offset));
            }
            digest = sink.finish();
        }

        assertThat(digest).isEqualTo(expected(data));
        assertThat(submitted.get()).isZero();
        assertThat(full.made()).isEqualTo(1);
    }

    /** The hashing pool with every task {@code millis} late; counts the tasks given, runs {@code before} each. */
    private java.util.concurrent.Executor late(
            long millis, java.util.concurrent.atomic.AtomicInteger submitted, Runnable before) {
        return task -> {
            submitted.incrementAndGet();
            hashing.execute(() -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                before.run();
                task.run();
            });
        };
    }

    private static byte[] random(Random random, int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    /** What MessageDigest makes of {@code data}: the sink's answer must be exactly this. */
    private static ContentSink.Digest expected(byte[] data) {
        return new ContentSink.Digest(hex("SHA-1", data), hex("SHA-256", data), data.length, hex("MD5", data));
    }

    private static String hex(String algorithm, byte[] data) {
        return HexFormat.of().formatHex(digest(algorithm).digest(data));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
