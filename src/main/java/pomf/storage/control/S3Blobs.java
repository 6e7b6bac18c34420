package pomf.storage.control;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.GetObjectArgs;
import io.minio.HeadObjectArgs;
import io.minio.HeadObjectResponse;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectAPIArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.UploadPartArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import io.minio.messages.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.logging.Logger;
import pomf.storage.entity.CorruptBlobException;
import pomf.storage.entity.StoreUnavailableException;

/**
 * The blob store on an S3-compatible bucket (issue 16), the counterpart of {@link BlobStore}: a blob is the object
 * {@code blobs/ab/cd/<sha256>} (its content key), or, for a large upload streamed before its hash was known, the
 * object {@code data/<random>} it was completed at, which {@link S3Keys} maps to the hash. An object appears only
 * whole (a single PUT or a completed multipart upload is atomic in S3), and a random key is a blob only once its
 * publication committed the mapping, so a failure at any point leaves no blob; what a failure leaves (an incomplete
 * multipart upload, an object nothing maps to, a {@code tmp/} object of an earlier version) is removed by
 * {@link #abortStaleUploads} and {@link #removeUnmapped}.
 *
 * <p>Requests run on the MinIO client's OkHttp threads; the calling thread waits for them, at most two parts of one
 * upload in flight. Constructible without CDI (the move command, tests).
 */
public class S3Blobs {
    private static final Logger LOG = Logger.getLogger(S3Blobs.class.getName());
    private static final int PARTS_IN_FLIGHT = 2;
    /** S3's largest part count. */
    private static final int MAX_PARTS = 10_000;
    /** The prefix of large uploads' random keys. */
    static final String DATA = "data/";

    private final MinioAsyncClient client;
    private MinioAsyncClient longClient;
    private S3Keys keys;
    private final String bucket;
    private final long partSize;

    /** A store on {@code settings}' bucket through {@code client} (see {@link S3Settings#newClient()}). */
    public S3Blobs(S3Settings settings, MinioAsyncClient client) {
        this.client = client;
        this.longClient = client;
        this.bucket = settings.bucket();
        this.partSize = settings.partSize();
    }

    /**
     * Looks blobs up through {@code keys} (a large upload's blob is at its random key); without, every blob is at its
     * content key (tools that only put blobs, tests).
     */
    public S3Blobs withKeys(S3Keys keys) {
        this.keys = keys;
        return this;
    }

    /**
     * Sends completions, which answer only once the store has worked through the whole object, through
     * {@code longClient} (see {@link S3Settings#newLongClient}); by default they go through the one client.
     */
    public S3Blobs withLongRequests(MinioAsyncClient longClient) {
        this.longClient = longClient;
        return this;
    }

    /** The content key of a blob: {@code blobs/ab/cd/<sha256>} (one HEAD or GET away, never listed to be found). */
    public static String key(String sha256) {
        if (sha256.length() != 64 || !sha256.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: " + sha256);
        }
        return "blobs/" + sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    public String bucket() {
        return bucket;
    }

    /** The multipart part size in bytes. */
    public long partSize() {
        return partSize;
    }

    /** Fails with a clear message when the bucket is missing or unreachable (one HEAD on the bucket). */
    public void checkBucket() throws IOException {
        boolean exists = await(
                client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()), "bucket");
        if (!exists) {
            throw missingBucket(null);
        }
    }

    /**
     * Stores {@code file} as the blob {@code sha256} (the caller computed it). Up to one part size it is one PUT;
     * larger files go as a multipart upload straight to the content key, parts read from the file into part-sized
     * buffers as they are sent (two in flight, at most three buffers: memory stays bounded whatever the size), aborted
     * on any failure. A blob already there with
     * the same size costs one HEAD and nothing more.
     *
     * @return whether bytes were sent (false: the blob was already there)
     */
    public boolean put(Path file, String sha256) throws IOException {
        String key = key(sha256);
        long size = Files.size(file);
        Long stored = storedSize(key);
        if (stored != null && stored == size) {
            return false;
        }
        if (stored != null) {
            LOG.warning(() -> "object " + key + " has " + stored + " bytes, not " + size + ": replaced");
        }
        try (InputStream in = Files.newInputStream(file)) {
            upload(in, size, key, null);
        }
        return true;
    }

    /**
     * Stores the bytes of {@code in} ({@code size} of them, as its source says) as the blob {@code sha256}, whatever
     * is at its key now (the move command): as {@link #put}, one PUT or a multipart upload straight to the content
     * key, with every byte hashed as it is read; the object is written (the PUT sent, the upload completed) only when
     * the bytes' SHA-256 is {@code sha256}. Otherwise the upload is aborted, nothing is written and
     * {@link CorruptBlobException} says what the bytes were. Costs the SHA-256 of the bytes on the calling thread.
     */
    public void putVerified(InputStream in, long size, String sha256) throws IOException {
        upload(in, size, key(sha256), sha256);
    }

    /** Uploads {@code in} to {@code key}; with {@code expected}, only when the bytes hash to it. */
    private void upload(InputStream in, long size, String key, String expected) throws IOException {
        MessageDigest digest = expected == null ? null : sha256();
        if (size <= partSize) {
            byte[] bytes = in.readNBytes(Math.toIntExact(size));
            if (digest != null) {
                digest.update(bytes);
                verify(digest, expected, bytes.length);
            }
            putBytes(key, bytes, bytes.length);
            return;
        }
        if (size > partSize * MAX_PARTS) {
            throw new IOException(key + " needs more than " + MAX_PARTS + " parts of " + partSize
                    + " bytes (S3's limit): raise pomf.storage.s3.part-size");
        }
        String uploadId = createUpload(key);
        try {
            ArrayDeque<CompletableFuture<Part>> inFlight = new ArrayDeque<>();
            ArrayDeque<byte[]> sent = new ArrayDeque<>();
            ArrayDeque<byte[]> spare = new ArrayDeque<>();
            List<Part> parts = new ArrayList<>();
            int partBytes = Math.toIntExact(partSize);
            long total = 0;
            for (int number = 1; ; number++) {
                if (inFlight.size() == PARTS_IN_FLIGHT) {
                    parts.add(await(inFlight.removeFirst(), key));
                    spare.addLast(sent.removeFirst());
                }
                byte[] buffer = spare.isEmpty() ? new byte[partBytes] : spare.removeFirst();
                int length = in.readNBytes(buffer, 0, partBytes);
                if (length == 0 && number > 1) {
                    break;
                }
                if (digest != null) {
                    digest.update(buffer, 0, length);
                }
                total += length;
                inFlight.addLast(uploadPart(key, uploadId, number, b -> b.data(buffer, length)));
                sent.addLast(buffer);
                if (length < partBytes) {
                    break;
                }
            }
            while (!inFlight.isEmpty()) {
                parts.add(await(inFlight.removeFirst(), key));
            }
            if (digest != null) {
                verify(digest, expected, total);
            }
            complete(key, uploadId, parts);
        } catch (IOException | RuntimeException e) {
            abortUpload(key, uploadId);
            throw e;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void verify(MessageDigest digest, String expected, long bytes) throws CorruptBlobException {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw new CorruptBlobException(expected, actual, bytes);
        }
    }

    /**
     * A streaming upload for bytes whose hash is known only at the end (see {@link S3PartSink}): parts are sent as
     * they fill, to the random key {@code data/<32 hex digits>}, which stays the blob's key once published (mapped by
     * {@link S3Keys}). Nothing is sent before the first part is full.
     */
    public S3PartSink open() {
        return new S3PartSink(this, DATA + UUID.randomUUID().toString().replace("-", ""));
    }

    /** Whether {@code key} is a random key of a large upload, {@code data/<32 hex digits>}. */
    public static boolean isDataKey(String key) {
        return key.length() == DATA.length() + 32
                && key.startsWith(DATA)
                && key.chars().skip(DATA.length()).allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }

    /** Whether the blob is there (one HEAD, after its key is looked up in the database). */
    public boolean exists(String sha256) throws IOException {
        String content = key(sha256);
        String key = keys == null ? content : keys.lookup(sha256).orElse(content);
        return storedSize(key) != null || !key.equals(content) && storedSize(content) != null;
    }

    /** The blob's size in bytes (one HEAD); {@link NoSuchFileException} when it is not there. */
    public long size(String sha256) throws IOException {
        return atKey(sha256, key -> {
            Long size = storedSize(key);
            if (size == null) {
                throw new NoSuchFileException(key);
            }
            return size;
        });
    }

    /**
     * Removes the blob (its mapping, in the caller's transaction, and one DELETE per key it may be at; removing a
     * missing blob succeeds). A failure is logged, not thrown, as for the folder: the orphan sweep (or, for an
     * object whose mapping went, the stale-upload sweep) tries again.
     *
     * @return whether the store confirmed the removal
     */
    public boolean remove(String sha256) {
        String content = key(sha256);
        List<String> removing = new ArrayList<>(2);
        try {
            if (keys != null) {
                keys.unmap(sha256).ifPresent(removing::add);
            }
            removing.add(content);
            for (String key : removing) {
                removeObject(key);
            }
            return true;
        } catch (IOException e) {
            LOG.warning(() -> "blob " + removing + " could not be removed (the sweeps retry): " + e);
            return false;
        }
    }

    /**
     * The bytes {@code first} to {@code last} (inclusive) of the blob, streamed by one ranged GET; close it to give
     * the connection back. A {@code last} past the end reads to the end; a {@code first} past it fails (416).
     */
    public InputStream read(String sha256, long first, long last) throws IOException {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
        }
        return atKey(
                sha256,
                key -> await(
                        client.getObject(GetObjectArgs.builder()
                                .bucket(bucket)
                                .object(key)
                                .offset(first)
                                .length(last - first + 1)
                                .build()),
                        key));
    }

    /** One step on an object's key. */
    @FunctionalInterface
    public interface KeyStep<T> {
        T apply(String key) throws IOException;
    }

    /**
     * Runs {@code step} on the blob's key as remembered; when that object is not there (a remembered key that was
     * replaced or removed since, a mapping that outlived its object), once more on the key the database says now,
     * or on the content key.
     */
    public <T> T atKey(String sha256, KeyStep<T> step) throws IOException {
        String content = key(sha256);
        String first = keys == null ? content : keys.resolve(sha256);
        try {
            return step.apply(first);
        } catch (NoSuchFileException e) {
            if (keys == null) {
                throw e;
            }
            keys.forget(sha256);
            String now = keys.lookup(sha256).orElse(content);
            if (now.equals(first)) {
                if (first.equals(content)) {
                    throw e;
                }
                now = content;
            }
            return step.apply(now);
        }
    }

    /**
     * Visits the hash of every blob last modified before {@code before}, for the orphan sweep: one LIST request per
     * 1000 blobs (the whole bucket's {@code blobs/} prefix, as the folder store walks its whole folder).
     */
    public void forEachBlob(Instant before, Consumer<String> visitor) throws IOException {
        eachObject("blobs/", item -> {
            if (item.lastModified().toInstant().isBefore(before)) {
                String name = item.objectName();
                visitor.accept(name.substring(name.lastIndexOf('/') + 1));
            }
        });
    }

    /**
     * Aborts the multipart uploads started before {@code before} (what a crash or a lost client left: their parts
     * cost storage until then, and no listing of objects shows them) and removes the {@code tmp/} objects older than
     * it. Costs one LIST per 1000 uploads and per 1000 temporary objects, plus one request per removal.
     *
     * @return how many uploads and objects were removed
     */
    public int abortStaleUploads(Instant before) throws IOException {
        int removed = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        while (true) {
            ListMultipartUploadsArgs.Builder args =
                    ListMultipartUploadsArgs.builder().bucket(bucket).maxUploads(1000);
            if (keyMarker != null) {
                args.keyMarker(keyMarker).uploadIdMarker(uploadIdMarker);
            }
            ListMultipartUploadsResult page =
                    await(client.listMultipartUploads(args.build()), "uploads").result();
            for (ListMultipartUploadsResult.Upload upload : page.uploads()) {
                String key = upload.objectName();
                if (ours(key) && upload.initiated().toInstant().isBefore(before)) {
                    abortUpload(key, upload.uploadId());
                    removed++;
                }
            }
            if (!page.isTruncated() || page.nextKeyMarker() == null) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        }
        List<String> stale = new ArrayList<>();
        eachObject("tmp/", item -> {
            if (item.lastModified().toInstant().isBefore(before)) {
                stale.add(item.objectName());
            }
        });
        for (String key : stale) {
            removeObject(key);
            removed++;
        }
        return removed;
    }

    /**
     * Removes the {@code data/} objects older than {@code before} that no blob is mapped to: large uploads completed
     * but never published (a crash between the two, a refused or duplicate upload whose removal failed) or replaced.
     * One LIST per 1000 objects and one query per page.
     *
     * @return how many were removed
     */
    public int removeUnmapped(Instant before, S3Keys keys) throws IOException {
        List<String> old = new ArrayList<>();
        eachObject(DATA, item -> {
            if (item.lastModified().toInstant().isBefore(before) && isDataKey(item.objectName())) {
                old.add(item.objectName());
            }
        });
        int removed = 0;
        for (int from = 0; from < old.size(); from += 1000) {
            List<String> page = old.subList(from, Math.min(old.size(), from + 1000));
            var mapped = keys.mapped(page);
            for (String key : page) {
                if (!mapped.contains(key)) {
                    removeObject(key);
                    removed++;
                }
            }
        }
        return removed;
    }

    // What S3PartSink needs.

    String createUpload(String key) throws IOException {
        return await(
                        client.createMultipartUpload(CreateMultipartUploadArgs.builder()
                                .bucket(bucket)
                                .object(key)
                                .build()),
                        key)
                .result()
                .uploadId();
    }

    CompletableFuture<Part> uploadPart(String key, String uploadId, int number, Consumer<UploadPartArgs.Builder> data) {
        UploadPartArgs.Builder args = UploadPartArgs.builder()
                .bucket(bucket)
                .object(key)
                .uploadId(uploadId)
                .partNumber(number);
        data.accept(args);
        return client.uploadPart(args.build()).thenApply(response -> response.part());
    }

    void complete(String key, String uploadId, List<Part> parts) throws IOException {
        await(
                longClient.completeMultipartUpload(CompleteMultipartUploadArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .uploadId(uploadId)
                        .parts(parts.toArray(Part[]::new))
                        .build()),
                key);
    }

    /** Aborts a multipart upload; a failure is logged (the stale-upload sweep tries again). */
    void abortUpload(String key, String uploadId) {
        try {
            await(
                    client.abortMultipartUpload(AbortMultipartUploadArgs.builder()
                            .bucket(bucket)
                            .object(key)
                            .uploadId(uploadId)
                            .build()),
                    key);
        } catch (IOException e) {
            LOG.warning(
                    () -> "multipart upload " + uploadId + " of " + key + " could not be aborted (swept later): " + e);
        }
    }

    /** Puts a small body in one request. */
    void putBytes(String key, byte[] data, int length) throws IOException {
        await(
                client.putObject(PutObjectAPIArgs.builder()
                        .bucket(bucket)
                        .object(key)
                        .data(data, length)
                        .build()),
                key);
    }

    void removeObject(String key) throws IOException {
        await(
                client.removeObject(
                        RemoveObjectArgs.builder().bucket(bucket).object(key).build()),
                key);
    }

    /** The object's size, or null when it is not there (one HEAD). */
    Long storedSize(String key) throws IOException {
        try {
            HeadObjectResponse head = await(
                    client.headObject(
                            HeadObjectArgs.builder().bucket(bucket).object(key).build()),
                    key);
            return head.size();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Waits for a request and turns its failure into an {@link IOException}: {@link NoSuchFileException} for a
     * missing object, a message naming the bucket when the bucket is missing.
     */
    <T> T await(CompletableFuture<T> request, String what) throws IOException {
        try {
            return request.get();
        } catch (InterruptedException e) {
            request.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the store: " + what);
        } catch (ExecutionException e) {
            throw failure(e.getCause(), what);
        }
    }

    private IOException failure(Throwable cause, String what) {
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ErrorResponseException error) {
            String code = error.errorResponse().code();
            if ("NoSuchBucket".equals(code)) {
                return missingBucket(error);
            }
            if ("NoSuchKey".equals(code) || "NotFound".equals(code) || "ResourceNotFound".equals(code)) {
                NoSuchFileException missing = new NoSuchFileException(what);
                missing.initCause(error);
                return missing;
            }
            return new StoreUnavailableException(
                    "the store answered " + code + " (" + error.errorResponse().message() + ") for " + what, error);
        }
        if (cause instanceof StoreUnavailableException
                || cause instanceof NoSuchFileException
                || cause.getClass() == InterruptedIOException.class) { // not its SocketTimeoutException
            return (IOException) cause;
        }
        return new StoreUnavailableException("the store failed for " + what + ": " + cause.getMessage(), cause);
    }

    private IOException missingBucket(Throwable cause) {
        return new StoreUnavailableException(
                "the bucket " + bucket + " does not exist on the store (pomf.storage.s3.bucket): create it first",
                cause);
    }

    /** Visits every object under {@code prefix}, page by page (1000 keys a LIST request), none kept. */
    private void eachObject(String prefix, Consumer<Item> visitor) throws IOException {
        Iterable<Result<Item>> results = client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket)
                .prefix(prefix)
                .recursive(true)
                .build());
        try {
            for (Result<Item> result : results) {
                Item item = result.get();
                if (!item.isDir()) {
                    visitor.accept(item);
                }
            }
        } catch (MinioException e) {
            throw failure(e, prefix);
        }
    }

    private static boolean ours(String key) {
        return key.startsWith("blobs/") || key.startsWith("tmp/") || key.startsWith(DATA);
    }
}
