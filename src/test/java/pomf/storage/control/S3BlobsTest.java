package pomf.storage.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.MinioAsyncClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.deployments.MigratedDatabase;
import pomf.it.servers.BucketListing;
import pomf.it.servers.S3Server;

/** {@link S3Blobs} and {@link S3PartSink} against a real S3 server (S3Proxy over a filesystem backend). */
class S3BlobsTest {
    private static final int MIB = 1 << 20;
    private static final String BUCKET = "pomf-blobs";

    private static S3Server server;
    private static MinioAsyncClient client;
    private static S3Settings settings;
    private static S3Blobs blobs;

    @TempDir
    Path folder;

    private final Random random = new Random(16);

    @BeforeAll
    static void start() {
        server = S3Server.start();
        server.createBucket(BUCKET);
        settings = new S3Settings(
                server.endpoint(), "us-east-1", BUCKET, true, 5L * MIB, S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
        client = settings.newClient();
        blobs = new S3Blobs(settings, client);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aSmallFileIsPutAndReadBackWholeAndInRanges() throws Exception {
        byte[] bytes = bytes(100_000);
        String sha = sha256(bytes);
        assertThat(blobs.exists(sha)).isFalse();

        assertThat(blobs.put(file(bytes), sha)).isTrue();

        assertThat(blobs.exists(sha)).isTrue();
        assertThat(blobs.size(sha)).isEqualTo(bytes.length);
        assertThat(sha256(read(sha, 0, bytes.length - 1))).isEqualTo(sha);
        assertThat(read(sha, 0, 99)).isEqualTo(Arrays.copyOfRange(bytes, 0, 100));
        assertThat(read(sha, 40_000, 59_999)).isEqualTo(Arrays.copyOfRange(bytes, 40_000, 60_000));
        assertThat(read(sha, bytes.length - 100, bytes.length - 1))
                .isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 100, bytes.length));
        assertThat(read(sha, bytes.length - 10, bytes.length + 1000))
                .as("a range past the end reads to the end")
                .isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));
        assertThatThrownBy(() -> read(sha, bytes.length + 10, bytes.length + 20))
                .as("a range starting past the end")
                .isInstanceOf(IOException.class)
                .hasMessageContaining("InvalidRange");
    }

    @Test
    void aFileOfSeveralPartsIsUploadedInPartsAndReadBackExactly() throws Exception {
        byte[] bytes = bytes(12 * MIB);
        String sha = sha256(bytes);

        assertThat(blobs.put(file(bytes), sha)).isTrue();

        assertThat(blobs.size(sha)).isEqualTo(bytes.length);
        assertThat(sha256(read(sha, 0, bytes.length - 1))).isEqualTo(sha);
        long boundary = 5L * MIB;
        assertThat(read(sha, boundary - 3, boundary + 2))
                .as("across the first parts' boundary")
                .isEqualTo(Arrays.copyOfRange(bytes, (int) boundary - 3, (int) boundary + 3));
        assertThat(read(sha, bytes.length - 5, bytes.length - 1))
                .isEqualTo(Arrays.copyOfRange(bytes, bytes.length - 5, bytes.length));
        assertThat(uploads()).isEmpty();
    }

    @Test
    void aSecondPutOfTheSameContentSendsNothing() throws Exception {
        byte[] bytes = bytes(6 * MIB);
        String sha = sha256(bytes);
        Path file = file(bytes);
        assertThat(blobs.put(file, sha)).isTrue();
        Instant first = lastModified(S3Blobs.key(sha));
        Thread.sleep(1100); // a rewrite would show in the last-modified time (whole seconds)

        assertThat(blobs.put(file, sha)).isFalse();

        assertThat(lastModified(S3Blobs.key(sha))).isEqualTo(first);
        assertThat(sha256(read(sha, 0, bytes.length - 1))).isEqualTo(sha);
    }

    @Test
    void aStreamedUploadIsCompletedAtItsRandomKeyAndReadThroughItsMapping() throws Exception {
        byte[] bytes = bytes(12 * MIB + 12_345);
        String sha = sha256(bytes);
        S3PartSink sink = blobs.open();
        writeInOddChunks(sink, bytes);

        String key = sink.finish(sha);

        assertThat(key).isEqualTo(sink.key());
        assertThat(S3Blobs.isDataKey(key)).as(key).isTrue();
        assertThat(objects("data/")).contains(key);
        assertThat(blobs.exists(sha))
                .as("without a mapping, only the content key counts")
                .isFalse();
        S3Keys keys = new S3Keys(MigratedDatabase.dataSource());
        S3Blobs mapped = new S3Blobs(settings, client).withKeys(keys);
        keys.map(sha, key);
        assertThat(mapped.exists(sha)).isTrue();
        assertThat(mapped.size(sha)).isEqualTo(bytes.length);
        try (InputStream in = mapped.read(sha, 0, bytes.length - 1)) {
            assertThat(sha256(in.readAllBytes())).isEqualTo(sha);
        }
        assertThat(uploads()).isEmpty();

        assertThat(mapped.remove(sha)).isTrue();
        assertThat(objects("data/")).doesNotContain(key);
        assertThat(keys.lookup(sha)).isEmpty();
        assertThat(mapped.exists(sha)).isFalse();
    }

    @Test
    void aStreamedUploadSmallerThanAPartIsOnePutAtItsContentKey() throws Exception {
        byte[] bytes = bytes(300_000);
        String sha = sha256(bytes);
        S3PartSink sink = blobs.open();
        writeInOddChunks(sink, bytes);

        sink.finish(sha);

        assertThat(sha256(read(sha, 0, bytes.length - 1))).isEqualTo(sha);
        S3PartSink again = blobs.open();
        again.write(bytes, 0, bytes.length);
        Instant first = lastModified(S3Blobs.key(sha));
        Thread.sleep(1100);
        again.finish(sha);
        assertThat(lastModified(S3Blobs.key(sha))).as("dedup").isEqualTo(first);
    }

    @Test
    void anAbortedStreamedUploadLeavesNothing() throws Exception {
        byte[] bytes = bytes(11 * MIB);
        String sha = sha256(bytes);
        S3PartSink sink = blobs.open();
        writeInOddChunks(sink, bytes);
        assertThat(uploads()).as("parts were sent").isNotEmpty();

        sink.abort();

        assertThat(uploads()).isEmpty();
        assertThat(objects("tmp/")).isEmpty();
        assertThat(blobs.exists(sha)).isFalse();
        assertThatThrownBy(() -> sink.write(bytes, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBlobIsRemoved() throws Exception {
        byte[] bytes = bytes(1000);
        String sha = sha256(bytes);
        blobs.put(file(bytes), sha);

        assertThat(blobs.remove(sha)).isTrue();

        assertThat(blobs.exists(sha)).isFalse();
        assertThatThrownBy(() -> blobs.size(sha)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> blobs.read(sha, 0, 10)).isInstanceOf(NoSuchFileException.class);
        assertThat(blobs.remove(sha)).as("removing a missing blob").isTrue();
    }

    @Test
    void theOrphanSweepSeesTheBlobsOlderThanItsCut() throws Exception {
        byte[] bytes = bytes(2000);
        String sha = sha256(bytes);
        Instant before = Instant.now().minusSeconds(2);
        blobs.put(file(bytes), sha);

        List<String> old = new ArrayList<>();
        blobs.forEachBlob(before, old::add);
        List<String> all = new ArrayList<>();
        blobs.forEachBlob(Instant.now().plusSeconds(2), all::add);

        assertThat(old).doesNotContain(sha);
        assertThat(all).contains(sha).allMatch(name -> name.length() == 64);
    }

    @Test
    void staleUploadsAreAbortedAndStaleObjectsNoBlobIsMappedToRemoved() throws Exception {
        S3Keys keys = new S3Keys(MigratedDatabase.dataSource());
        S3PartSink left = blobs.open();
        left.write(bytes(6 * MIB), 0, 6 * MIB);
        byte[] small = bytes(10);
        S3PartSink completedButNotPublished = blobs.open();
        blobs.putBytes(completedButNotPublished.key(), small, small.length);
        S3PartSink published = blobs.open();
        blobs.putBytes(published.key(), small, small.length);
        String sha = sha256(small);
        keys.map(sha, published.key());
        blobs.putBytes("tmp/left-by-an-earlier-version", small, small.length);
        assertThat(uploads()).isNotEmpty();

        assertThat(blobs.abortStaleUploads(Instant.now().minusSeconds(60))).isZero();
        assertThat(blobs.removeUnmapped(Instant.now().minusSeconds(60), keys)).isZero();
        assertThat(uploads()).isNotEmpty();

        assertThat(blobs.abortStaleUploads(Instant.now().plusSeconds(5))).isGreaterThanOrEqualTo(2);
        assertThat(blobs.removeUnmapped(Instant.now().plusSeconds(5), keys)).isGreaterThanOrEqualTo(1);
        assertThat(uploads()).isEmpty();
        assertThat(objects("tmp/")).isEmpty();
        assertThat(objects("data/"))
                .doesNotContain(completedButNotPublished.key())
                .contains(published.key());
        keys.unmap(sha);
    }

    @Test
    void aMissingBucketIsAClearError() throws Exception {
        S3Settings elsewhere = new S3Settings(
                server.endpoint(),
                "us-east-1",
                "no-such-bucket",
                true,
                5L * MIB,
                S3Server.ACCESS_KEY,
                S3Server.SECRET_KEY);
        S3Blobs missing = new S3Blobs(elsewhere, client);
        byte[] bytes = bytes(100);

        assertThatThrownBy(missing::checkBucket).hasMessageContaining("no-such-bucket does not exist");
        assertThatThrownBy(() -> missing.put(file(bytes), sha256(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no-such-bucket does not exist");
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private Path file(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(folder, "blob", ".bin"), bytes);
    }

    private static byte[] read(String sha, long first, long last) throws IOException {
        try (InputStream in = blobs.read(sha, first, last)) {
            return in.readAllBytes();
        }
    }

    private static void writeInOddChunks(S3PartSink sink, byte[] bytes) throws IOException {
        int offset = 0;
        int chunk = 1;
        while (offset < bytes.length) {
            int n = Math.min(chunk, bytes.length - offset);
            sink.write(bytes, offset, n);
            offset += n;
            chunk = chunk * 7 % 1_000_003 + 1;
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static List<String> uploads() throws Exception {
        return BucketListing.uploads(client, BUCKET);
    }

    private static List<String> objects(String prefix) throws Exception {
        return BucketListing.keys(client, BUCKET, prefix);
    }

    private static Instant lastModified(String key) throws Exception {
        return client.headObject(io.minio.HeadObjectArgs.builder()
                        .bucket(BUCKET)
                        .object(key)
                        .build())
                .get()
                .lastModified()
                .toInstant();
    }
}
