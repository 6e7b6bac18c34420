package pomf.rehearsal;

import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import pomf.it.load.LoadClients;
import pomf.run.EmbeddedDatabase;

/**
 * The bucket variant's bad day (issue 16): uploads keep coming on both origins (large ones, multipart in the bucket)
 * and files are read straight from both, while origin A is killed with kill -9 in the middle of them, stays dead for
 * the plan's while (its edges serve what they hold), and starts again. Once the kill's staged leftovers are older than
 * {@code stale-after}, A's start sweeps them: A is started once more if its first start came too early for that.
 */
final class BucketFaults {
    static final int A = 0;
    static final int B = 1;

    /** An upload under load: its file, the phase it began in, and what the client got after every try. */
    record Upload(Path local, String sha256, long size, String phase, Uploader.Result result) {}

    /** An upload to A in flight when it was killed: bytes sent of its size. */
    record InFlight(long sent, long size) {}

    private final Stage stage;
    private final LoadClients clients;
    private final Progress progress;
    private final Faults faults;
    final Uploader uploader;
    final OriginReads reads;
    final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile String phase = "steady";

    Instant killed;
    final List<InFlight> uploadsAtKill = new ArrayList<>();
    long readAtKill = -1;
    Instant restartBegan;
    Instant back;
    /** A's second start (null when its first came late enough to sweep the kill's leftovers). */
    Instant startedAgain;

    Instant sweepingStart;
    /** Staged objects and multipart uploads in the bucket just before the start that swept them (-1: not counted). */
    List<String> stagedBeforeSweep = List.of();

    Instant orphanSweepFinished;
    /** Staged uploads A's starts removed, from their logs ({@code Janitor}'s line). */
    int sweptAtStarts;

    /** What the start sweep of A's current process removed, from its log (ready: the sweep ran before). */
    private int sweptAtStart() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "(\\d+) temporary file\\(s\\) of interrupted uploads removed")
                .matcher(stage.origins[A].log());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    BucketFaults(Stage stage, LoadClients clients, Library library, Progress progress, Faults faults) {
        this.stage = stage;
        this.clients = clients;
        this.progress = progress;
        this.faults = faults;
        RehearsalPlan.Bucket plan = stage.plan.bucket();
        this.uploader = new Uploader(
                List.of(java.net.URI.create(StageConfig.originUrl(A)), java.net.URI.create(StageConfig.originUrl(B))),
                plan.bytesPerSecond());
        this.reads = new OriginReads(library.files(), f -> library.local(f), plan.bytesPerSecond(), () -> phase);
    }

    /** Labels the clients', the uploads' and the reads' work from now on. */
    void phase(String name) {
        phase = name;
        clients.phase(name);
    }

    /** Starts the uploads and the direct reads; they go on until {@link #stopLoad()}. */
    void startLoad() {
        running = true;
        for (int i = 0; i < stage.plan.bucket().uploaders(); i++) {
            Thread thread = new Thread(this::uploadLoop, "bucket-upload-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        reads.start();
    }

    private void uploadLoop() {
        List<Long> sizes = stage.plan.bucket().uploadSizes();
        while (running) {
            int n = next.getAndIncrement();
            long size = sizes.get(n % sizes.size());
            Path local = stage.folder.resolve("library").resolve("under-load-" + n + ".bin");
            String sha256 = Library.write(local, size, 70_000L + n);
            String label = phase;
            Uploader.Result result = uploader.send(local, local.getFileName().toString(), "json");
            uploads.add(new Upload(local, sha256, size, label, result));
        }
    }

    /** Ends the uploads and reads, letting those in flight finish. */
    void stopLoad() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(10 * 60_000);
        }
        reads.stop();
    }

    /**
     * kill -9 of origin A once a large upload to it is past its first part and a direct read from it is in the middle
     * of a body; A dead for the plan's while, then started again on the same folders.
     */
    void killOrigin() throws InterruptedException {
        phase("origin-kill");
        long want = StageConfig.PART_SIZE + (1 << 20);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !(largestSendingTo(A) >= want && reads.readingFrom(A) > 0)) {
            Thread.sleep(20);
        }
        for (Uploader.Sending s : uploader.sending()) {
            if (s.origin() == A) {
                uploadsAtKill.add(new InFlight(s.sent().get(), s.size()));
            }
        }
        readAtKill = reads.readingFrom(A);
        killed = Instant.now();
        stage.killOrigin(A);
        progress.say("origin A killed with SIGKILL, " + uploadsAtKill.size() + " upload(s) to it in flight "
                + uploadsAtKill + ", a read from it at byte " + readAtKill);
        Thread.sleep(2_000);
        phase("origin-a-down");
        faults.hold(stage.plan.originDown().minusSeconds(2));
        phase("origin-a-starting");
        restartBegan = Instant.now();
        progress.say("origin A starting");
        stage.restartOrigin(A);
        back = Instant.now();
        // A start late enough after the kill (a slow boot counts) already sweeps what the kill left staged.
        sweptAtStarts += sweptAtStart();
        progress.say("origin A back");
        phase("origin-a-back");
        faults.hold(stage.plan.phase());
    }

    private long largestSendingTo(int origin) {
        return uploader.sending().stream()
                .filter(s -> s.origin() == origin)
                .mapToLong(s -> s.sent().get())
                .max()
                .orElse(-1);
    }

    /**
     * After the load: the start sweep of A removes staged uploads older than stale-after. If A's first start came
     * before the kill's leftovers were that old, waits until they are, counts them, and starts A once more (SIGTERM,
     * then start). Then waits for that start's orphan sweep (its first janitor tick), so that every blob the kill
     * left without a row is gone.
     */
    void sweepAfterStale() throws Exception {
        Duration staleAfter = stage.plan.bucket().staleAfter();
        Instant due = killed.plus(staleAfter).plusSeconds(3);
        sweepingStart = restartBegan;
        if (restartBegan.isBefore(due)) {
            long wait = Duration.between(Instant.now(), due).toMillis();
            if (wait > 0) {
                progress.say(String.format(
                        "waiting %.0f s until what the kill left staged is older than stale-after (%s)",
                        wait / 1000.0, staleAfter));
                Thread.sleep(wait);
            }
            stagedBeforeSweep = staged();
            progress.say("staged in the bucket before A's second start: " + stagedBeforeSweep);
            stage.origins[A].stop();
            startedAgain = Instant.now();
            sweepingStart = startedAgain;
            stage.restartOrigin(A);
            sweptAtStarts += sweptAtStart();
            progress.say("origin A started again; waiting for its orphan sweep");
        }
        orphanSweepFinished = awaitOrphanSweep(stage.origins[A].pid(), Duration.ofSeconds(120));
        progress.say("A's orphan sweep finished at " + orphanSweepFinished);
    }

    /** When the orphan sweep of the origin of this pid finished, or null when it did not within the timeout. */
    private Instant awaitOrphanSweep(long pid, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = DriverManager.getConnection(
                            stage.database.url(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
                    PreparedStatement s = c.prepareStatement("select last_finished from job_run where name ="
                            + " 'orphan-sweep' and owner like ? and last_finished is not null and last_error is null"
                            + " and running_since is null")) {
                s.setString(1, "%-" + pid + "-%");
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        Timestamp finished = rs.getTimestamp(1);
                        return finished.toInstant();
                    }
                }
            }
            Thread.sleep(500);
        }
        return null;
    }

    /**
     * What uploads stage in the bucket: the {@code data/} objects no blob is mapped to (a large upload completed but
     * not published), {@code tmp/} objects of an earlier version, and the multipart uploads in flight.
     */
    List<String> staged() throws Exception {
        try (MinioAsyncClient client = stage.bucketClient()) {
            List<String> staged = new ArrayList<>(keys(client, "tmp/").keySet());
            Map<String, String> mapped = mapped();
            keys(client, "data/").keySet().stream()
                    .filter(key -> !mapped.containsKey(key))
                    .forEach(staged::add);
            client.listMultipartUploads(ListMultipartUploadsArgs.builder()
                            .bucket(StageConfig.BUCKET)
                            .build())
                    .get()
                    .result()
                    .uploads()
                    .forEach(upload -> staged.add("multipart upload of " + upload.objectName()));
            return staged;
        }
    }

    /** The blobs in the bucket: SHA-256 to size, at their content keys or at the random keys mapped to them. */
    Map<String, Long> blobs() throws Exception {
        try (MinioAsyncClient client = stage.bucketClient()) {
            Map<String, Long> blobs = new TreeMap<>();
            keys(client, "blobs/").forEach((key, size) -> blobs.put(key.substring(key.lastIndexOf('/') + 1), size));
            Map<String, String> mapped = mapped();
            keys(client, "data/").forEach((key, size) -> {
                if (mapped.containsKey(key)) {
                    blobs.put(mapped.get(key), size);
                }
            });
            return blobs;
        }
    }

    /** The large uploads' random keys and the hashes of the blobs they are ({@code s3_blob}). */
    private Map<String, String> mapped() throws SQLException {
        Map<String, String> mapped = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(
                        stage.database.url(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
                PreparedStatement s = c.prepareStatement("select object_key, sha256 from s3_blob");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                mapped.put(rs.getString(1), rs.getString(2));
            }
        }
        return mapped;
    }

    private static Map<String, Long> keys(MinioAsyncClient client, String prefix) throws Exception {
        Map<String, Long> keys = new TreeMap<>();
        for (Result<Item> item : client.listObjects(ListObjectsArgs.builder()
                .bucket(StageConfig.BUCKET)
                .prefix(prefix)
                .recursive(true)
                .build())) {
            Item it = item.get();
            if (!it.isDir()) {
                keys.put(it.objectName(), it.size());
            }
        }
        return keys;
    }
}
