package pomf.storage.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.MinioAsyncClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.deployments.ConfigInjection;
import pomf.it.deployments.MigratedDatabase;
import pomf.it.servers.S3Server;
import pomf.storage.control.BlobMove.Outcome;
import pomf.storage.control.BlobMove.State;
import pomf.storage.control.StorageSql.Recorded;

/**
 * The move between the folder and a bucket (issue 16) on a real PostgreSQL (a database of its own: the move reads
 * the whole registry) and a real S3 server: a round trip byte for byte, resumption after a stop, corrupt and missing
 * sources, the store failing mid-run, and the service's refusal of a store other than the recorded one.
 */
class BlobMoveTest {
    private static final int MIB = 1 << 20;
    private static final Duration QUIET = Duration.ofHours(1);

    private static S3Server server;
    private static MinioAsyncClient client;
    private static DataSource database;
    private static int buckets;

    @TempDir
    Path temp;

    private final Random random = new Random(1616);
    private StorageSql sql;
    private S3Settings settings;
    private S3Blobs bucket;
    private FolderBlobs folder;
    private final List<byte[]> blobs = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = S3Server.start();
        database = MigratedDatabase.fresh("blob_move");
        client = new S3Settings(
                        server.endpoint(),
                        "us-east-1",
                        "unused",
                        true,
                        5L * MIB,
                        S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY)
                .newClient();
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

    @BeforeEach
    void emptyRegistry() throws Exception {
        try (Connection c = database.getConnection();
                Statement s = c.createStatement()) {
            s.execute("truncate stored_file cascade");
            s.execute("delete from blob_store");
            s.execute("delete from blob_move");
        }
        String name = "move-" + ++buckets;
        server.createBucket(name);
        settings = new S3Settings(
                server.endpoint(), "us-east-1", name, true, 5L * MIB, S3Server.ACCESS_KEY, S3Server.SECRET_KEY);
        bucket = new S3Blobs(settings, client);
        folder = new FolderBlobs(temp.resolve("files"));
        sql = new StorageSql(database);
    }

    @AfterEach
    void healthy() {
        server.failing(false);
    }

    private BlobMove move(boolean toBucket, boolean acceptMissing, long limit) {
        return new BlobMove(sql, folder, bucket, toBucket, new BlobMove.Options(true, acceptMissing, limit, QUIET));
    }

    /** Blobs in the folder with a link each, sizes from empty to three parts; the folder recorded as their store. */
    private void registryInFolder(int... sizes) throws Exception {
        sql.checkAtStart("folder", null);
        for (int size : sizes) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            blobs.add(bytes);
            String sha256 = sha256(bytes);
            Path file = folder.blob(sha256);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            link(sha256, size);
        }
    }

    private void link(String sha256, long size) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement insert = c.prepareStatement("insert into stored_file"
                        + " (name, sha1, sha256, size, content_type, created_at)"
                        + " values (?, repeat('0', 40), ?, ?, 'application/octet-stream', now())")) {
            insert.setString(1, Long.toHexString(random.nextLong()) + ".bin");
            insert.setString(2, sha256);
            insert.setLong(3, size);
            insert.executeUpdate();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private byte[] inBucket(String sha256) throws Exception {
        if (bucket.size(sha256) == 0) {
            return new byte[0];
        }
        try (InputStream in = bucket.read(sha256, 0, Long.MAX_VALUE - 1)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theBlobsGoToTheBucketAndBackByteForByteAndTheRegistryFollows() throws Exception {
        registryInFolder(0, 1, 4096, 5 * MIB, 12 * MIB + 777);
        String sameBytes = sha256(blobs.get(2));
        link(sameBytes, 4096); // a second link to the same bytes: one blob
        byte[] orphan = "an orphan, linked by nothing".getBytes();
        Path orphanFile = folder.blob(sha256(orphan));
        Files.createDirectories(orphanFile.getParent());
        Files.write(orphanFile, orphan);

        Outcome out = move(true, false, 0).run();

        assertThat(out.state()).as(out.message()).isEqualTo(State.SWITCHED);
        assertThat(out.total()).isEqualTo(5);
        assertThat(out.copied()).isEqualTo(5);
        for (byte[] bytes : blobs) {
            assertThat(inBucket(sha256(bytes))).isEqualTo(bytes);
        }
        assertThat(bucket.exists(sha256(orphan))).as("orphans stay behind").isFalse();
        assertThat(sql.recorded())
                .get()
                .extracting(Recorded::kind, Recorded::bucket)
                .containsExactly("s3", bucket.bucket());
        assertThat(move(true, false, 0).run().state()).isEqualTo(State.ALREADY_THERE);

        folder = new FolderBlobs(temp.resolve("files-again"));
        Outcome back = move(false, false, 0).run();

        assertThat(back.state()).as(back.message()).isEqualTo(State.SWITCHED);
        assertThat(back.copied()).isEqualTo(5);
        for (byte[] bytes : blobs) {
            assertThat(Files.readAllBytes(folder.blob(sha256(bytes)))).isEqualTo(bytes);
        }
        try (var left = Files.list(temp.resolve("files-again").resolve("tmp"))) {
            assertThat(left).as("no temporary file left").isEmpty();
        }
        assertThat(sql.recorded())
                .get()
                .extracting(Recorded::kind, Recorded::bucket)
                .containsExactly("folder", null);
    }

    @Test
    void aStoppedRunGoesOnWhereItStoppedAndCopiesOnlyTheRest() throws Exception {
        registryInFolder(100, 200, 300, 400, 500, 600, 700, 800, 900, 6 * MIB);

        Outcome first = move(true, false, 4).run();

        assertThat(first.state()).isEqualTo(State.STOPPED);
        assertThat(first.copied()).isEqualTo(4);
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("folder");

        BlobMove interrupted = move(true, false, 0);
        AtomicInteger seen = new AtomicInteger();
        interrupted.afterBlob(sha256 -> {
            if (seen.incrementAndGet() == 3) {
                Thread.currentThread().interrupt();
            }
        });
        Outcome second = interrupted.run();
        assertThat(Thread.interrupted()).isTrue();

        assertThat(second.state()).isEqualTo(State.STOPPED);
        assertThat(second.copied()).isEqualTo(3);
        assertThat(second.done()).isEqualTo(7);

        Outcome last = move(true, false, 0).run();

        assertThat(last.state()).as(last.message()).isEqualTo(State.SWITCHED);
        assertThat(last.copied()).as("only the rest").isEqualTo(3);
        assertThat(last.verifiedInPlace()).isZero();
        assertThat(last.done()).isEqualTo(10);
        for (byte[] bytes : blobs) {
            assertThat(inBucket(sha256(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void withoutTheSwitchARunCopiesAndRecordsNothingAndTheSwitchingRunCopiesOnlyWhatArrived() throws Exception {
        registryInFolder(10, 20);
        Outcome live = new BlobMove(sql, folder, bucket, true, new BlobMove.Options(false, false, 0, QUIET)).run();

        assertThat(live.state()).as(live.message()).isEqualTo(State.COPIED);
        assertThat(live.message()).contains("--switch");
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("folder");

        registryInFolder(30); // an upload while the origin served
        Outcome last = move(true, false, 0).run();

        assertThat(last.state()).isEqualTo(State.SWITCHED);
        assertThat(last.copied()).isEqualTo(1);
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("s3");
    }

    @Test
    void aBlobAlreadyInTheTargetIsReadBackOnceAndOtherBytesThereAreReplaced() throws Exception {
        registryInFolder(1000, 2000);
        String good = sha256(blobs.get(0));
        String bad = sha256(blobs.get(1));
        bucket.putBytes(S3Blobs.key(good), blobs.get(0), 1000);
        bucket.putBytes(S3Blobs.key(bad), new byte[2000], 2000);

        Outcome out = move(true, false, 0).run();

        assertThat(out.state()).isEqualTo(State.SWITCHED);
        assertThat(out.verifiedInPlace()).isEqualTo(1);
        assertThat(out.copied()).isEqualTo(1);
        assertThat(inBucket(bad)).isEqualTo(blobs.get(1));
    }

    @Test
    void aCorruptSourceIsReportedNotWrittenAndKeepsTheSwitchBack() throws Exception {
        registryInFolder(3000, 6 * MIB, 5000);
        String small = sha256(blobs.get(0));
        String large = sha256(blobs.get(1));
        flipAByte(folder.blob(small));
        flipAByte(folder.blob(large));

        Outcome out = move(true, false, 0).run();

        assertThat(out.state()).isEqualTo(State.INCOMPLETE);
        assertThat(out.corrupt()).isEqualTo(2);
        assertThat(out.copied()).isEqualTo(1);
        assertThat(out.message()).contains("2 corrupt");
        assertThat(bucket.exists(small)).isFalse();
        assertThat(bucket.exists(large))
                .as("the multipart upload was not completed")
                .isFalse();
        assertThat(sql.problems("s3:" + bucket.bucket(), StorageSql.CORRUPT, 10))
                .containsExactlyInAnyOrder(small, large);
        assertThat(move(true, true, 0).run().state())
                .as("--accept-missing does not accept corrupt blobs")
                .isEqualTo(State.INCOMPLETE);
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("folder");

        Files.write(folder.blob(small), blobs.get(0)); // restored from a backup
        Files.write(folder.blob(large), blobs.get(1));
        Outcome again = move(true, false, 0).run();

        assertThat(again.state()).as(again.message()).isEqualTo(State.SWITCHED);
        assertThat(again.copied()).isEqualTo(2);
        assertThat(inBucket(large)).isEqualTo(blobs.get(1));
    }

    @Test
    void theOtherWayACorruptObjectLeavesNothingInTheFolder() throws Exception {
        registryInFolder(1234);
        String sha256 = sha256(blobs.get(0));
        assertThat(move(true, false, 0).run().state()).isEqualTo(State.SWITCHED);
        bucket.putBytes(S3Blobs.key(sha256), new byte[1234], 1234);
        folder = new FolderBlobs(temp.resolve("back"));

        Outcome out = move(false, false, 0).run();

        assertThat(out.state()).isEqualTo(State.INCOMPLETE);
        assertThat(out.corrupt()).isEqualTo(1);
        assertThat(folder.exists(sha256)).isFalse();
        try (var left = Files.list(temp.resolve("back").resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("s3");
    }

    @Test
    void aMissingSourceIsReportedAndSwitchesOnlyWhenAccepted() throws Exception {
        registryInFolder(10, 20, 30);
        String lost = sha256(blobs.get(1));
        Files.delete(folder.blob(lost));
        String deleted = sha256(blobs.get(2));
        Files.delete(folder.blob(deleted));
        try (Connection c = database.getConnection();
                PreparedStatement unlink = c.prepareStatement("delete from stored_file where sha256 = ?")) {
            // Not missing: deleted meanwhile (its blob goes with its last link, as the service does).
            unlink.setString(1, deleted);
            unlink.executeUpdate();
        }

        Outcome out = move(true, false, 0).run();

        assertThat(out.state()).isEqualTo(State.INCOMPLETE);
        assertThat(out.missing()).isEqualTo(1);
        assertThat(out.copied()).isEqualTo(1);
        assertThat(out.message()).contains("1 missing").contains("--accept-missing");
        assertThat(sql.problems("s3:" + bucket.bucket(), StorageSql.MISSING, 10))
                .containsExactly(lost);
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("folder");

        Outcome accepted = move(true, true, 0).run();

        assertThat(accepted.state()).as(accepted.message()).isEqualTo(State.SWITCHED);
        assertThat(accepted.missing()).isEqualTo(1);
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("s3");
    }

    @Test
    void theStoreFailingEndsTheRunClearlyAndARunAfterCompletes() throws Exception {
        registryInFolder(100, 200, 300, 400, 500);
        BlobMove failing = move(true, false, 0);
        AtomicInteger seen = new AtomicInteger();
        failing.afterBlob(sha256 -> {
            if (seen.incrementAndGet() == 2) {
                server.failing(true);
            }
        });

        Outcome out = failing.run();

        assertThat(out.state()).isEqualTo(State.FAILED);
        assertThat(out.copied()).isEqualTo(2);
        assertThat(out.message()).contains("the run stopped").contains("store").contains("run this again");
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("folder");

        server.failing(false);
        Outcome again = move(true, false, 0).run();

        assertThat(again.state()).as(again.message()).isEqualTo(State.SWITCHED);
        assertThat(again.copied()).isEqualTo(3);
        for (byte[] bytes : blobs) {
            assertThat(inBucket(sha256(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void theServiceRefusesAStoreOtherThanTheRecordedOneWhileTheRegistryHasRows() throws Exception {
        Map<String, String> folderService =
                Map.of("pomf.storage.dir", temp.resolve("svc").toString());
        Map<String, String> s3Service = Map.of(
                "pomf.storage.dir", temp.resolve("svc").toString(),
                "pomf.storage.kind", "s3",
                "pomf.storage.s3.endpoint", server.endpoint(),
                "pomf.storage.s3.bucket", bucket.bucket());

        sql.checkAtStart("s3", bucket.bucket()); // a start with the bucket (BlobStores' check, without credentials)
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("s3");
        assertThat(start(folderService).kind())
                .as("an empty registry may start anywhere")
                .isEqualTo("folder");
        assertThat(sql.recorded()).get().extracting(Recorded::kind).isEqualTo("folder");

        link(sha256(new byte[] {1}), 1);

        assertThatThrownBy(() -> start(s3Service))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the registry's blobs are in folder")
                .hasMessageContaining("configured for s3 (bucket " + bucket.bucket() + ")")
                .hasMessageContaining("server-config/move-blobs.sh --to s3");
        assertThat(start(folderService).kind()).isEqualTo("folder");
    }

    private BlobStore start(Map<String, String> settings) {
        BlobStores stores = ConfigInjection.inject(new BlobStores(), settings);
        stores.database = database;
        return stores.store();
    }

    private static void flipAByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
    }
}
