package pomf.storage.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import pomf.delivery.control.BodySource;
import pomf.storage.entity.StagedBlob;

/**
 * Where the blobs live, content-addressed by SHA-256: the storage folder ({@link FolderBlobs}, the default) or an
 * S3-compatible bucket ({@link S3BlobStore}, {@code pomf.storage.kind=s3}). {@link BlobStores} makes the one in use.
 * Uploads in flight are staged by the store and placed at their content address only when published, so a failure
 * at any point leaves nothing at a content address and no row.
 */
public interface BlobStore {
    /** {@code folder} or {@code s3}. */
    String kind();

    /**
     * Whether other origins may use the same blobs (a bucket): they then take a content's lock in the database to
     * place or remove it, and leftovers of their crashed uploads are swept by age, not all at a start.
     */
    default boolean shared() {
        return false;
    }

    /**
     * A folder on this machine's disk for work that stays local whatever the store: resumable uploads' partial files
     * (their offsets survive a restart), temporary files of the folder store.
     */
    Path localFolder();

    /** Starts staging one upload's bytes as they stream in, hashed by the sink on the given pools. */
    Staging stage(Executor hashing, Executor flushing, ChunkPool chunks, boolean md5) throws IOException;

    /** Stages a complete, durable local file (a finished resumable upload); publication takes it over. */
    StagedBlob stage(Path file);

    /** Whether the blob is there. */
    boolean exists(String sha256) throws IOException;

    /** Removes the blob; a failure is logged (the orphan sweep tries again). */
    void remove(String sha256);

    /**
     * The bytes {@code start} to {@code start + length - 1} of the blob as an answer's body.
     *
     * @throws java.nio.file.NoSuchFileException when the blob is not there
     * @throws IOException when the store cannot be read now
     */
    BodySource open(String sha256, long start, long length) throws IOException;

    /**
     * Where a client may fetch the blob itself for a while (the store carries the bytes), when this store and its
     * settings offer that for a blob of {@code size} bytes; the answer's type is {@code contentType}.
     */
    default Optional<URI> redirect(String sha256, long size, String contentType) throws IOException {
        return Optional.empty();
    }

    /** The whole blob as a stream (sweeps); close it. */
    InputStream read(String sha256) throws IOException;

    /** Removes what uploads interrupted by a crash left staged; at start, before the first request. */
    int sweepTemporary() throws IOException;

    /**
     * Removes what crashed uploads left staged in a store shared by several origins, once old enough to be no live
     * upload's (a bucket: {@code pomf.storage.s3.stale-after}); a folder's are this machine's, swept at its start.
     *
     * @return how many were removed
     */
    default int sweepStale() throws IOException {
        return 0;
    }

    /** Visits the hash of every blob last modified before {@code before} (the orphan sweep). */
    void forEachBlob(Instant before, Consumer<String> visitor) throws IOException;

    /** The store takes writes now (the readiness check). */
    boolean writable();

    /** One upload being staged: the sink its bytes go to, and what it becomes once its sink has finished. */
    record Staging(ContentSink sink, StagedBlob staged) {}
}
