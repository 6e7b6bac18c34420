package pomf.storage.control;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.logging.Logger;
import pomf.storage.control.StorageSql.Pending;
import pomf.storage.control.StorageSql.Recorded;
import pomf.storage.control.StorageSql.Totals;
import pomf.storage.entity.CorruptBlobException;

/**
 * Moves the registry's blobs between the storage folder and a bucket (issue 16), for {@code MoveBlobs}: every
 * distinct {@code sha256} of {@code stored_file}, read by keyset in batches, and nothing else (orphans stay behind).
 * Each blob is streamed from the source to the target with its SHA-256 computed on the way; the target is written
 * (a temporary file renamed after an fsync, or a PUT or completed multipart upload) only when the bytes hash to the
 * name. A blob copied and verified is noted in {@code blob_move} at once, so a run killed at any point goes on where
 * it stopped: the next run skips the noted ones in the same query that finds the rest. A blob already at the target
 * but not noted (the one being written when a run was killed, or a target filled before) is read back and hashed once
 * instead of copied. A source that is missing (and still in the registry) or whose bytes do not hash to their name is
 * noted, logged and skipped; it blocks the switch (a missing one not with {@code acceptMissing}). A failure of either
 * store or of the database ends the run: a re-run goes on from there.
 *
 * <p>With {@code switchAtEnd}, when every blob of the registry is copied and verified, the run records the target as where the blobs are
 * ({@link StorageSql#switchTo}): the only write of {@code blob_store} besides a service's first start. The source is
 * never changed. Uploads that arrive while it runs are taken by up to two more passes; a service still uploading
 * keeps the switch from being recorded (the switch counts what is left in the same transaction).
 *
 * <p>Progress is logged every {@code reportEvery} from the copying thread itself (checked as bytes are read, so a
 * long blob does not silence it): blobs and bytes done of the total, the rate and the time left.
 */
public final class BlobMove {
    private static final Logger LOG = Logger.getLogger(BlobMove.class.getName());
    private static final int BATCH = 500;
    /** The first pass, then at most two for uploads that arrived meanwhile. */
    private static final int PASSES = 3;
    /** Problems listed by hash in the summary (all are logged as they are met). */
    private static final int LISTED = 100;

    private final StorageSql sql;
    private final FolderBlobs folder;
    private final S3Blobs bucket;
    private final boolean toBucket;
    private final Options options;
    private final String target;
    private Consumer<String> afterBlob = sha256 -> {};

    /**
     * What a run may do: record the target at its end when all is there ({@code switchAtEnd}: only with every origin
     * stopped, so no upload lands in the source after it), switch despite missing sources, stop after {@code limit}
     * blobs (0: no limit), report every {@code reportEvery}.
     */
    public record Options(boolean switchAtEnd, boolean acceptMissing, long limit, Duration reportEvery) {}

    /** How a run ended. */
    public enum State {
        /** Every blob is at the target, verified, and the target is recorded as where the blobs are. */
        SWITCHED,
        /** The registry already records the target. */
        ALREADY_THERE,
        /** Every blob is at the target, verified; not recorded (a run without the switch, while origins run). */
        COPIED,
        /** The run went through but some blobs are missing, corrupt, or arrived too late: not switched. */
        INCOMPLETE,
        /** Interrupted, or at its limit: a re-run goes on. */
        STOPPED,
        /** A store or the database failed: a re-run goes on. */
        FAILED
    }

    /**
     * A run's result: its end, the registry's distinct blobs, those copied and verified (this run and before), copied
     * now, verified in place now, gone (deleted while the run ran), missing, corrupt, bytes read now, and why.
     */
    public record Outcome(
            State state,
            long total,
            long done,
            long copied,
            long verifiedInPlace,
            long gone,
            long missing,
            long corrupt,
            long bytesRead,
            String message) {}

    /**
     * @param toBucket from {@code folder} to {@code bucket} when true, the other way when false
     */
    public BlobMove(StorageSql sql, FolderBlobs folder, S3Blobs bucket, boolean toBucket, Options options) {
        this.sql = sql;
        this.folder = folder;
        this.bucket = bucket;
        this.toBucket = toBucket;
        this.options = options;
        this.target = toBucket ? "s3:" + bucket.bucket() : "folder:" + folder.localFolder();
    }

    /** Called with each blob's hash once it is dealt with (tests: an interruption at a chosen point). */
    void afterBlob(Consumer<String> hook) {
        this.afterBlob = hook;
    }

    private String kind() {
        return toBucket ? "s3" : "folder";
    }

    private String describe(boolean ofTarget) {
        return ofTarget == toBucket
                ? "the bucket " + bucket.bucket()
                : "the folder " + folder.localFolder().resolve("blobs");
    }

    /** Runs the move; see the class comment. */
    public Outcome run() throws SQLException {
        Recorded recorded = sql.recorded()
                .orElseThrow(() -> new IllegalStateException("nothing is recorded yet about where the blobs are:"
                        + " start the service of this version once (its start records pomf.storage.kind), then"
                        + " run this again"));
        String bucketName = toBucket ? bucket.bucket() : null;
        if (recorded.kind().equals(kind()) && (!toBucket || recorded.bucket().equals(bucketName))) {
            String message = "the registry already records its blobs in " + recorded.describe() + ": nothing to move";
            LOG.info(message);
            return new Outcome(State.ALREADY_THERE, 0, 0, 0, 0, 0, 0, 0, 0, message);
        }
        if (!toBucket && !recorded.bucket().equals(bucket.bucket())
                || toBucket && recorded.kind().equals("s3")) {
            throw new IllegalStateException("the registry records its blobs in " + recorded.describe()
                    + "; this command moves them from there only to "
                    + (toBucket
                            ? "the folder (--to folder)"
                            : "the folder, with pomf.storage.s3.bucket=" + recorded.bucket()));
        }
        int forgotten = sql.begin(target);
        if (forgotten > 0) {
            LOG.info(() -> forgotten + " note(s) of an earlier move elsewhere or of problems dropped: tried again");
        }
        Progress progress = new Progress(sql.registry(), sql.moved(target));
        LOG.info(() -> "moving " + progress.total + " blob(s), " + bytes(progress.totalBytes) + ", from "
                + describe(false) + " to " + describe(true) + "; " + progress.done + " of them ("
                + bytes(progress.doneBytes)
                + ") copied and verified by an earlier run");
        Run run = new Run(progress);
        try {
            for (int pass = 1; ; pass++) {
                String after = "";
                for (List<Pending> batch = sql.pending(target, after, BATCH);
                        !batch.isEmpty();
                        batch = sql.pending(target, after, BATCH)) {
                    for (Pending blob : batch) {
                        if (Thread.currentThread().isInterrupted()) {
                            return run.end(State.STOPPED, "interrupted: run it again to go on");
                        }
                        if (options.limit() > 0 && run.handled >= options.limit()) {
                            return run.end(
                                    State.STOPPED,
                                    "stopped at the limit of " + options.limit() + " blob(s): run it again to go on");
                        }
                        move(blob, run);
                        run.handled++;
                        after = blob.sha256();
                        afterBlob.accept(blob.sha256());
                    }
                }
                long left = sql.pendingCount(target);
                if (left == 0 || pass == PASSES) {
                    break;
                }
                LOG.info(() -> left + " blob(s) arrived during the pass: another pass");
                progress.total(sql.registry());
            }
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            return run.end(State.STOPPED, "interrupted: run it again to go on");
        } catch (IOException e) {
            return run.end(
                    State.FAILED,
                    "the run stopped: " + e.getMessage() + " (fix it and run this again: what"
                            + " is copied stays copied)");
        }
        return finish(run, bucketName);
    }

    private Outcome finish(Run run, String bucketName) throws SQLException {
        List<String> missing = sql.problems(target, StorageSql.MISSING, LISTED);
        List<String> corrupt = sql.problems(target, StorageSql.CORRUPT, LISTED);
        if (!missing.isEmpty()) {
            LOG.warning(() -> run.missing + " blob(s) of the registry missing from " + describe(false)
                    + (run.missing > LISTED ? " (the first " + LISTED + ")" : "") + ": " + String.join(" ", missing));
        }
        if (!corrupt.isEmpty()) {
            LOG.warning(() -> run.corrupt + " blob(s) whose bytes do not hash to their name in " + describe(false)
                    + (run.corrupt > LISTED ? " (the first " + LISTED + ")" : "") + ", not copied: "
                    + String.join(" ", corrupt));
        }
        if (!options.switchAtEnd() && sql.complete(target, options.acceptMissing())) {
            return run.end(
                    State.COPIED,
                    "every blob is in " + describe(true) + ", verified; nothing recorded: stop"
                            + " every origin, then run this again with --switch (it copies what arrived meanwhile and records "
                            + kind() + ")");
        }
        if (options.switchAtEnd() && sql.switchTo(target, kind(), bucketName, options.acceptMissing())) {
            return run.end(
                    State.SWITCHED,
                    "every blob is in " + describe(true) + ", verified; the registry now"
                            + " records " + kind() + ": start the service with pomf.storage.kind=" + kind()
                            + (run.missing > 0
                                    ? " (" + run.missing + " missing blob(s) accepted: their links will fail)"
                                    : ""));
        }
        long left = sql.pendingCount(target);
        StringBuilder why = new StringBuilder("not switched:");
        if (run.corrupt > 0) {
            why.append(' ')
                    .append(run.corrupt)
                    .append(" corrupt blob(s) (restore them from a backup, or delete their links);");
        }
        if (run.missing > 0) {
            why.append(' ')
                    .append(run.missing)
                    .append(" missing blob(s) (restore them, or run again with --accept-missing);");
        }
        if (left > 0) {
            why.append(' ')
                    .append(left)
                    .append(" blob(s) arrived after the last pass (an origin still uploads: stop every origin, then"
                            + " run this again);");
        }
        return run.end(State.INCOMPLETE, why.substring(0, why.length() - 1));
    }

    /** Deals with one blob: skips it, verifies it in place, copies it, or notes its problem. */
    private void move(Pending blob, Run run) throws IOException, SQLException {
        String sha256 = blob.sha256();
        long size;
        try {
            size = sourceSize(sha256);
        } catch (NoSuchFileException e) {
            missing(blob, run);
            return;
        }
        Long there = targetSize(sha256);
        if (there != null && there == size) {
            String actual;
            try (InputStream in = run.counted(openTarget(sha256, size))) {
                actual = sha256(in);
            }
            if (actual.equals(sha256)) {
                sql.note(target, sha256, size, null);
                run.verifiedInPlace++;
                run.progress.done(size);
                return;
            }
            LOG.warning(() -> "blob " + sha256 + " is in " + describe(true) + " with other bytes: copied again");
        }
        try (InputStream in = run.counted(openSource(sha256, size))) {
            if (toBucket) {
                bucket.putVerified(in, size, sha256);
            } else {
                folder.placeVerified(in, sha256);
            }
        } catch (NoSuchFileException e) {
            missing(blob, run);
            return;
        } catch (CorruptBlobException e) {
            LOG.warning(() -> "blob " + sha256 + " in " + describe(false) + " is corrupt: " + e.getMessage());
            sql.note(target, sha256, blob.size(), StorageSql.CORRUPT);
            run.corrupt++;
            return;
        }
        sql.note(target, sha256, size, null);
        run.copied++;
        run.progress.done(size);
    }

    private void missing(Pending blob, Run run) throws SQLException {
        if (!sql.registered(blob.sha256())) {
            run.gone++; // its last link was deleted while the run ran: nothing to move
            run.progress.total(-1, -blob.size());
            return;
        }
        LOG.warning(() -> "blob " + blob.sha256() + " is in the registry but missing from " + describe(false));
        sql.note(target, blob.sha256(), blob.size(), StorageSql.MISSING);
        run.missing++;
    }

    private long sourceSize(String sha256) throws IOException {
        return toBucket ? Files.size(folder.blob(sha256)) : bucket.size(sha256);
    }

    /** The target's size for the blob, null when it is not there. */
    private Long targetSize(String sha256) throws IOException {
        if (toBucket) {
            return bucket.storedSize(S3Blobs.key(sha256));
        }
        try {
            return Files.size(folder.blob(sha256));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private InputStream openSource(String sha256, long size) throws IOException {
        return toBucket ? Files.newInputStream(folder.blob(sha256)) : fromBucket(sha256, size);
    }

    private InputStream openTarget(String sha256, long size) throws IOException {
        return toBucket ? fromBucket(sha256, size) : Files.newInputStream(folder.blob(sha256));
    }

    private InputStream fromBucket(String sha256, long size) throws IOException {
        return size == 0 ? InputStream.nullInputStream() : bucket.read(sha256, 0, size - 1);
    }

    private static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** One run's counts. */
    private final class Run {
        final Progress progress;
        long handled;
        long copied;
        long verifiedInPlace;
        long gone;
        long missing;
        long corrupt;

        Run(Progress progress) {
            this.progress = progress;
        }

        /** {@code in}, its bytes counted for the progress (which may log as they are read). */
        InputStream counted(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        progress.read(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        progress.read(n);
                    }
                    return n;
                }
            };
        }

        Outcome end(State state, String message) {
            Outcome outcome = new Outcome(
                    state,
                    progress.total,
                    progress.done,
                    copied,
                    verifiedInPlace,
                    gone,
                    missing,
                    corrupt,
                    progress.read,
                    message);
            LOG.info(() -> progress.line() + "; this run: " + copied + " copied, " + verifiedInPlace
                    + " found verified in place, " + gone + " deleted meanwhile, " + missing + " missing, " + corrupt
                    + " corrupt, " + bytes(progress.read) + " read in "
                    + Duration.ofNanos(progress.elapsed())
                            .withNanos(0)
                            .toString()
                            .substring(2)
                            .toLowerCase(Locale.ROOT) + ". " + state + ": " + message);
            return outcome;
        }
    }

    /** Done against the total, and the log line every {@code reportEvery}. */
    private final class Progress {
        private final long started = System.nanoTime();
        private long nextReport;
        long total;
        long totalBytes;
        long done;
        long doneBytes;
        long read;

        Progress(Totals registry, Totals moved) {
            total(registry);
            done = moved.blobs();
            doneBytes = moved.bytes();
            nextReport = started + options.reportEvery().toNanos();
        }

        void total(Totals registry) {
            total = registry.blobs();
            totalBytes = registry.bytes();
        }

        void total(long blobs, long bytes) {
            total += blobs;
            totalBytes += bytes;
        }

        void done(long bytes) {
            done++;
            doneBytes += bytes;
            report();
        }

        void read(long bytes) {
            read += bytes;
            report();
        }

        long elapsed() {
            return System.nanoTime() - started;
        }

        private void report() {
            long now = System.nanoTime();
            if (now - nextReport >= 0) {
                nextReport = now + options.reportEvery().toNanos();
                LOG.info(this::line);
            }
        }

        String line() {
            double seconds = Math.max(1e-3, elapsed() / 1e9);
            double rate = read / seconds;
            long leftBytes = Math.max(0, totalBytes - doneBytes);
            String eta = rate < 1 ? "unknown" : clock((long) (leftBytes / rate));
            return String.format(
                    Locale.ROOT,
                    "%d/%d blobs, %s/%s, %.1f MB/s, %s left",
                    done,
                    total,
                    bytes(doneBytes),
                    bytes(totalBytes),
                    rate / 1e6,
                    eta);
        }
    }

    private static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** Bytes for people: {@code 1.2 GB} (powers of ten, as the rate's MB/s). */
    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
