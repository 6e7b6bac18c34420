package pomf.storage.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.MinioAsyncClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.delivery.control.BodySource;
import pomf.delivery.control.Piece;
import pomf.it.deployments.MigratedDatabase;
import pomf.it.servers.BucketListing;
import pomf.it.servers.S3Server;
import pomf.storage.entity.StagedBlob;
import pomf.storage.entity.StoreUnavailableException;

/**
 * The bucket as the application's {@link BlobStore}: uploads streamed through a {@link ContentSink} into multipart
 * uploads, placed, read back in ranges as answers' bodies, undone and swept; the store failing. Against a real S3
 * server (S3Proxy over a filesystem backend).
 */
class S3BlobStoreTest {
    private static final int MIB = 1 << 20;
    private static final String BUCKET = "pomf-store";
    private static final S3Keys KEYS = new S3Keys(MigratedDatabase.dataSource());

    private static S3Server server;
    private static MinioAsyncClient client;
    private static ExecutorService threads;
    private static ScheduledExecutorService timer;
    private static S3BlobStore store;

    @TempDir
    static Path local;

    private final Random random = new Random(1616);

    @BeforeAll
    static void start() {
        server = S3Server.start();
        server.createBucket(BUCKET);
        S3Settings settings = settings();
        client = settings.newClient();
        threads = Executors.newFixedThreadPool(4);
        timer = Executors.newSingleThreadScheduledExecutor();
        store = new S3BlobStore(settings, KEYS, client, local, threads, timer);
    }

    /** The test server's bucket, parts of 5 MiB, a store that stalls for 3 s counted as down. */
    private static S3Settings settings() {
        return new S3Settings(
                        server.endpoint(),
                        "us-east-1",
                        BUCKET,
                        true,
                        5L * MIB,
                        S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY)
                .withTimeout(Duration.ofSeconds(3));
    }

    @AfterAll
    static void stop() throws Exception {
        if (threads != null) {
            threads.shutdownNow();
            timer.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void healthy() {
        server.failing(false);
        server.stallUploads(false);
        server.releaseDownloads();
    }

    @Test
    void anUploadLargerThanAPartStreamsAndItsObjectBecomesTheBlobWithoutACopy() throws Exception {
        byte[] bytes = bytes(12 * MIB + 12_345);
        BlobStore.Staging staging = store.stage(threads, threads, new ChunkPool(8, 8), false);
        ContentSink.Digest digest;
        try (ContentSink sink = staging.sink()) {
            for (int at = 0; at < bytes.length; at += 70_000) {
                sink.write(bytes, at, Math.min(70_000, bytes.length - at));
                sink.pause();
            }
            digest = sink.finish();
        }
        String key = key(staging.staged());
        assertThat(digest.sha256()).isEqualTo(sha256(bytes));
        assertThat(digest.size()).isEqualTo(bytes.length);
        assertThat(S3Blobs.isDataKey(key)).as(key).isTrue();
        assertThat(keys("data/")).as("completed at its random key").contains(key);
        assertThat(store.exists(digest.sha256()))
                .as("not a blob before placing: nothing maps to it")
                .isFalse();

        StagedBlob staged = staging.staged();
        staged.place(digest.sha256());
        staged.discard();

        assertThat(store.exists(digest.sha256())).isTrue();
        assertThat(KEYS.lookup(digest.sha256())).hasValue(key);
        assertThat(keys("data/")).as("the object is the blob: kept").contains(key);
        assertThat(keys("blobs/")).as("no copy at the content key").doesNotContain(S3Blobs.key(digest.sha256()));
        assertThat(body(digest.sha256(), 0, bytes.length)).isEqualTo(bytes);
        assertThat(body(digest.sha256(), 5 * MIB - 10, 20))
                .isEqualTo(Arrays.copyOfRange(bytes, 5 * MIB - 10, 5 * MIB + 10));
        assertThat(body(digest.sha256(), bytes.length - 1, 1)).containsExactly(bytes[bytes.length - 1]);
        try (InputStream in = store.read(digest.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    /** Another origin on the same bucket and database: its own client's threads, its own remembered keys. */
    private static S3BlobStore otherOrigin(String name, String staleAfter) {
        S3Settings settings = settings();
        settings.staleAfter = staleAfter;
        return new S3BlobStore(
                settings, new S3Keys(MigratedDatabase.dataSource()), client, local.resolve(name), threads, timer);
    }

    @Test
    void aKeyThisOriginRemembersThatAnotherOriginReplacedIsLookedUpAgain() throws Exception {
        byte[] bytes = bytes(7 * MIB);
        Streamed first = stream(bytes);
        String sha = first.place();
        assertThat(body(sha, 0, 100)).isEqualTo(Arrays.copyOf(bytes, 100)); // remembered here

        S3BlobStore other = otherOrigin("other", "24h");
        other.remove(sha); // its last link went there...
        assertThat(keys("data/")).doesNotContain(key(first.staged()));
        BlobStore.Staging again = other.stage(threads, threads, new ChunkPool(8, 8), false);
        try (ContentSink sink = again.sink()) {
            sink.write(bytes, 0, bytes.length);
            sink.finish();
        }
        again.staged().place(sha); // ...and the same bytes came back, at another key
        again.staged().discard();

        assertThat(body(sha, 0, bytes.length)).isEqualTo(bytes);
        assertThat(KEYS.lookup(sha)).hasValue(key(again.staged()));
    }

    @Test
    void theSweepsSeeMappedBlobsAsBlobsAndRemoveOldObjectsNothingMapsTo() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        byte[] keptBytes = bytes(6 * MIB + 3); // sizes of their own: every test draws the same bytes
        Streamed kept = stream(keptBytes);
        kept.place();
        Streamed crashed = stream(bytes(6 * MIB + 17)); // completed, never published: the origin died
        S3BlobStore sweeping = otherOrigin("sweeping", "1m");

        List<String> blobs = new ArrayList<>();
        sweeping.forEachBlob(Instant.now().plusSeconds(2), blobs::add);
        assertThat(blobs).contains(kept.sha()).doesNotContain(crashed.sha());
        List<String> older = new ArrayList<>();
        sweeping.forEachBlob(start, older::add);
        assertThat(older).as("mapped after the cut").doesNotContain(kept.sha());

        assertThat(sweeping.sweepStale())
                .as("younger than stale-after: an upload in flight")
                .isZero();
        // stale-after is at least a minute: the sweep's cut as it will be then.
        assertThat(sweeping.blobs().removeUnmapped(Instant.now().plusSeconds(2), KEYS))
                .isGreaterThanOrEqualTo(1);
        assertThat(keys("data/")).contains(key(kept.staged())).doesNotContain(key(crashed.staged()));
        assertThat(body(kept.sha(), 0, keptBytes.length)).isEqualTo(keptBytes);
    }

    @Test
    void aSmallUploadIsOnePutAndLeavesNothingStaged() throws Exception {
        byte[] bytes = bytes(1000);
        Streamed streamed = stream(bytes);
        String sha = streamed.place();

        assertThat(body(sha, 0, 1000)).isEqualTo(bytes);
        assertThat(keys("blobs/")).contains(S3Blobs.key(sha));
        assertThat(keys("data/")).doesNotContain(key(streamed.staged()));
        assertThat(KEYS.lookup(sha)).isEmpty();
        assertThat(uploads()).isEmpty();
    }

    @Test
    void unplacingRemovesOnlyWhatThisUploadWrote() throws Exception {
        byte[] bytes = bytes(6 * MIB);
        Streamed first = stream(bytes);
        String sha = first.place();
        Streamed second = stream(bytes);
        second.staged.place(sha); // already there: nothing written
        second.staged.unplace(sha);
        assertThat(store.exists(sha)).as("the first upload's blob stays").isTrue();

        Streamed third = stream(bytes(6 * MIB));
        third.staged.place(third.sha);
        third.staged.unplace(third.sha);
        assertThat(store.exists(third.sha)).isFalse();
        third.staged.place(third.sha);
        assertThat(store.exists(third.sha))
                .as("placed again after an undo (a retried publication)")
                .isTrue();
        second.staged.discard();
        third.staged.discard();
        assertThat(keys("data/"))
                .as("the second upload's object went; the first's and third's are blobs")
                .doesNotContain(key(second.staged))
                .contains(key(first.staged), key(third.staged));
        assertThat(body(sha, 0, 6 * MIB)).isEqualTo(bytes);
    }

    @Test
    void anAbandonedUploadLeavesNoPartNoObject() throws Exception {
        BlobStore.Staging staging = store.stage(threads, threads, new ChunkPool(8, 8), false);
        try (ContentSink sink = staging.sink()) {
            byte[] bytes = bytes(11 * MIB);
            sink.write(bytes, 0, bytes.length);
            sink.pause();
        }
        staging.staged().discard();

        assertThat(uploads()).as("multipart uploads aborted").isEmpty();
        assertThat(keys("data/")).as("no object").doesNotContain(key(staging.staged()));
    }

    @Test
    void aMissingBlobIsNoSuchFileAndAFailingStoreAnIoError() throws Exception {
        String missing = "0".repeat(64);
        assertThatThrownBy(() -> store.open(missing, 0, 10)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.read(missing)).isInstanceOf(NoSuchFileException.class);

        String sha = stream(bytes(100)).place();
        server.failing(true);
        assertThatThrownBy(() -> store.open(sha, 0, 100))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("500");
        assertThat(store.writable()).isFalse();
        server.failing(false);
        assertThat(store.writable()).isTrue();
    }

    @Test
    void aStoreFailingMidUploadFailsTheSinkAndLeavesNothing() throws Exception {
        BlobStore.Staging staging = store.stage(threads, threads, new ChunkPool(8, 8), false);
        byte[] bytes = bytes(16 * MIB);
        try (ContentSink sink = staging.sink()) {
            sink.write(bytes, 0, 6 * MIB);
            server.failing(true);
            assertThatThrownBy(() -> {
                        sink.write(bytes, 6 * MIB, 10 * MIB);
                        sink.finish();
                    })
                    .isInstanceOf(IOException.class);
        } finally {
            server.failing(false);
            staging.staged().discard();
        }
        assertThat(uploads()).isEmpty();
        assertThat(keys("data/")).doesNotContain(key(staging.staged()));
    }

    @Test
    void aStoreThatStallsMidUploadFailsThePartWithinTheTimeout() throws Exception {
        BlobStore.Staging staging = store.stage(threads, threads, new ChunkPool(8, 8), false);
        byte[] bytes = bytes(16 * MIB);
        long start = System.nanoTime();
        try (ContentSink sink = staging.sink()) {
            sink.write(bytes, 0, 4 * MIB);
            server.stallUploads(true);
            assertThatThrownBy(() -> {
                        sink.write(bytes, 4 * MIB, 12 * MIB);
                        sink.finish();
                    })
                    .isInstanceOf(StoreUnavailableException.class);
        } finally {
            server.stallUploads(false);
            staging.staged().discard();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(keys("data/")).doesNotContain(key(staging.staged()));
    }

    @Test
    void anAnswerWhoseStoreStallsMidBodyIsCutAfterTheTimeoutNeverCompletedShort() throws Exception {
        byte[] bytes = bytes(3 * MIB);
        String sha = stream(bytes).place();
        server.stallDownloadsAfter(MIB);
        long start = System.nanoTime();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThatThrownBy(() -> read(store.open(sha, 0, bytes.length), bytes.length, got))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("within the timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(got.size()).isGreaterThanOrEqualTo(1).isLessThan(bytes.length);
        assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(bytes, got.size()));
        server.releaseDownloads();
        assertThat(body(sha, 0, bytes.length)).as("the next answer is whole").isEqualTo(bytes);
    }

    @Test
    void aStoreDownAtStartIsNotWritableAndEveryUseIsUnavailableNotBroken() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        S3Settings down = new S3Settings(
                        "http://127.0.0.1:" + closed,
                        "us-east-1",
                        BUCKET,
                        true,
                        5L * MIB,
                        S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY)
                .withTimeout(Duration.ofSeconds(2));
        try (MinioAsyncClient downClient = down.newClient()) {
            S3BlobStore absent = new S3BlobStore(down, KEYS, downClient, local.resolve("down"), threads, timer);
            assertThat(absent.writable()).isFalse();
            assertThatThrownBy(() -> absent.exists("1".repeat(64))).isInstanceOf(StoreUnavailableException.class);
            assertThatThrownBy(() -> absent.open("1".repeat(64), 0, 1))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(NoSuchFileException.class);
            BlobStore.Staging staging = absent.stage(threads, threads, new ChunkPool(8, 8), false);
            try (ContentSink sink = staging.sink()) {
                byte[] bytes = bytes(1000);
                sink.write(bytes, 0, bytes.length);
                String sha = sink.finish().sha256();
                assertThatThrownBy(() -> staging.staged().place(sha)).isInstanceOf(StoreUnavailableException.class);
            } finally {
                staging.staged().discard();
            }
        }
    }

    @Test
    void aRedirectIsAShortLivedUrlOfTheStoreWithTheRegistrysTypeAndOnlyAboveItsSize() throws Exception {
        byte[] bytes = bytes(5000);
        String sha = stream(bytes).place();
        S3Settings settings = settings().withRedirectAbove(4096);
        S3BlobStore redirecting = new S3BlobStore(settings, KEYS, client, local.resolve("redirecting"), threads, timer);

        assertThat(store.redirect(sha, bytes.length, "text/plain"))
                .as("off by default")
                .isEmpty();
        assertThat(redirecting.redirect(sha, 4096, "text/plain")).isEmpty();
        java.net.URI to = redirecting
                .redirect(sha, bytes.length, "text/plain; charset=utf-8")
                .orElseThrow();

        assertThat(to.getQuery()).contains("X-Amz-Expires=300");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var whole = http.send(
                java.net.http.HttpRequest.newBuilder(to).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);
        assertThat(whole.headers().firstValue("Content-Type").orElseThrow().replace(" ", ""))
                .isEqualToIgnoringCase("text/plain;charset=utf-8"); // the store's server may drop the space
        var range = http.send(
                java.net.http.HttpRequest.newBuilder(to)
                        .header("Range", "bytes=10-19")
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(bytes, 10, 20));
    }

    @Test
    void theSweepAbortsOnlyStaleUploadsAndRemovesLocalLeftovers() throws Exception {
        BlobStore.Staging young = store.stage(threads, threads, new ChunkPool(8, 8), false);
        try (ContentSink sink = young.sink()) {
            byte[] bytes = bytes(6 * MIB);
            sink.write(bytes, 0, bytes.length);
            sink.pause();
            Path leftover = Files.write(local.resolve("crashed.part"), new byte[10]);

            store.sweepTemporary();

            assertThat(uploads())
                    .as("an upload in flight (another origin's) is younger than a day")
                    .hasSize(1);
            assertThat(leftover).doesNotExist();
        } finally {
            young.staged().discard();
        }
        assertThat(store.blobs().abortStaleUploads(java.time.Instant.now().plusSeconds(60)))
                .isZero();
    }

    /** The bytes an answer's body gives, read the way a delivery reads: piece by piece, waiting when told to. */
    private static byte[] body(String sha, long start, int length) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        read(store.open(sha, start, length), length, out);
        return out.toByteArray();
    }

    private static void read(BodySource body, int length, ByteArrayOutputStream out) throws Exception {
        try (BodySource source = body) {
            Piece piece = new Piece();
            long position = 0;
            while (out.size() < length) {
                CompletableFuture<Void> woken = new CompletableFuture<>();
                if (source.next(position, length - out.size(), piece, () -> woken.complete(null))) {
                    ByteBuffer bytes = piece.asBuffer();
                    int n = bytes.remaining();
                    byte[] copy = new byte[n];
                    bytes.get(copy);
                    out.write(copy);
                    position += n;
                } else {
                    woken.get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private record Streamed(StagedBlob staged, String sha) {
        String place() throws IOException {
            staged.place(sha);
            staged.discard();
            return sha;
        }
    }

    private Streamed stream(byte[] bytes) throws IOException {
        BlobStore.Staging staging = store.stage(threads, threads, new ChunkPool(8, 8), false);
        try (ContentSink sink = staging.sink()) {
            sink.write(bytes, 0, bytes.length);
            return new Streamed(staging.staged(), sink.finish().sha256());
        }
    }

    /** The key a staged upload streams to. */
    private static String key(StagedBlob staged) {
        return staged.where().substring(BUCKET.length() + 1);
    }

    private static List<String> keys(String prefix) throws Exception {
        return BucketListing.keys(client, BUCKET, prefix);
    }

    private static List<String> uploads() throws Exception {
        return BucketListing.uploads(client, BUCKET);
    }

    private byte[] bytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
