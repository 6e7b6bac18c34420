package pomf.storage.control;

import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioAsyncClient;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Logger;
import pomf.delivery.control.BodySource;
import pomf.storage.entity.StagedBlob;

/**
 * The blob store on an S3-compatible bucket ({@code pomf.storage.kind=s3}) through {@link S3Blobs}. Form uploads
 * stream into a multipart upload to a random key as they arrive ({@link S3PartSink}), and that object becomes the
 * blob, mapped to its hash by {@link S3Keys} in the publishing transaction; a body within one part, and a finished
 * resumable upload (whose partial file is on this machine), go up at publication straight to the content key
 * {@code blobs/ab/cd/<sha256>}. Answers are one ranged GET each, streamed as the client takes the bytes.
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger LOG = Logger.getLogger(S3BlobStore.class.getName());
    /** A presigned URL for one GET, used at once: long enough for a slow start, short if it leaks. */
    private static final int PRESIGNED_SECONDS = 300;

    private final S3Blobs blobs;
    private final S3Keys keys;
    private final MinioAsyncClient client;
    private final String bucket;
    private final Path local;
    private final HttpClient http;
    private final Duration headTimeout;
    private final long redirectAbove;
    /** Staged uploads older than this are what a crash left (an upload in flight on another origin is younger). */
    private final Duration staleAfter;

    private final Set<StoreBody> open = ConcurrentHashMap.newKeySet();

    /**
     * @param local this machine's folder for resumable uploads' partial files
     * @param executor the threads of the GETs' callbacks (they never block)
     * @param timer where answers that stopped getting bytes from the store are looked for, every second: one waits
     *     {@link S3Settings#timeout()} for the store's head (then 503) and as long for each next batch (then cut)
     */
    public S3BlobStore(
            S3Settings settings,
            S3Keys keys,
            MinioAsyncClient client,
            Path local,
            ExecutorService executor,
            ScheduledExecutorService timer) {
        Duration headTimeout = settings.timeout();
        this.staleAfter = settings.staleAfter();
        this.redirectAbove = settings.redirectAbove();
        this.keys = keys;
        this.blobs = new S3Blobs(settings, client)
                .withLongRequests(settings.newLongClient(executor))
                .withKeys(keys);
        this.client = client;
        this.bucket = settings.bucket();
        this.local = local.toAbsolutePath().normalize();
        this.headTimeout = headTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(headTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .executor(executor)
                .build();
        timer.scheduleWithFixedDelay(this::expireIdle, 1, 1, TimeUnit.SECONDS);
        try {
            Files.createDirectories(this.local);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("storage folder " + this.local + " cannot be created", e);
        }
    }

    /** The S3 operations themselves (tests, the migration command). */
    public S3Blobs blobs() {
        return blobs;
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Path localFolder() {
        return local;
    }

    @Override
    public Staging stage(Executor hashing, Executor flushing, ChunkPool chunks, boolean md5) {
        S3PartSink parts = blobs.open();
        ContentSink sink = new ContentSink(parts, hashing, chunks, md5);
        StagedBlob staged = new StagedBlob() {
            /** Bytes were put at the content key by this upload's placing. */
            private boolean wrote;
            /** The completed upload was mapped as the blob, in the publication's transaction. */
            private boolean mapped;

            @Override
            public void place(String sha256) throws IOException {
                String at = parts.place(sha256);
                if (at == null) {
                    return;
                }
                if (S3Blobs.isDataKey(at)) {
                    if (blobs.exists(sha256)) {
                        return; // a blob already there is kept; this upload's object goes with the discard
                    }
                    keys.map(sha256, at);
                    mapped = true;
                } else {
                    wrote = true;
                    keys.unmap(sha256);
                }
            }

            @Override
            public void unplace(String sha256) {
                // The mapping rolled back with the publication (this drops it where there was none, a test's or a
                // tool's); only this upload's own mapping, never one another origin made since.
                if (mapped) {
                    mapped = false;
                    keys.unmap(sha256, parts.key());
                }
                if (wrote) {
                    wrote = false;
                    removeContentKey(sha256);
                }
            }

            @Override
            public void discard() {
                if (mapped) {
                    parts.keep();
                }
                parts.abort();
            }

            @Override
            public String where() {
                return bucket + "/" + parts.key();
            }
        };
        return new Staging(sink, staged);
    }

    @Override
    public StagedBlob stage(Path file) {
        return new StagedBlob() {
            private boolean wrote;

            @Override
            public void place(String sha256) throws IOException {
                wrote = blobs.put(file, sha256);
                if (wrote) {
                    keys.unmap(sha256);
                }
            }

            @Override
            public void unplace(String sha256) {
                if (wrote) {
                    wrote = false;
                    removeContentKey(sha256);
                }
            }

            @Override
            public void discard() {
                FolderBlobs.discard(file);
            }

            @Override
            public String where() {
                return file.toString();
            }
        };
    }

    private void removeContentKey(String sha256) {
        String key = S3Blobs.key(sha256);
        try {
            blobs.removeObject(key);
        } catch (IOException e) {
            LOG.warning(() -> "object " + key + " of a publication that did not commit could not be removed: " + e);
        }
    }

    @Override
    public boolean exists(String sha256) throws IOException {
        return blobs.exists(sha256);
    }

    @Override
    public void remove(String sha256) {
        blobs.remove(sha256);
    }

    @Override
    public BodySource open(String sha256, long start, long length) throws IOException {
        return blobs.atKey(sha256, key -> openKey(key, start, length));
    }

    private BodySource openKey(String key, long start, long length) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(presigned(key, Map.of())))
                .header("Range", "bytes=" + start + "-" + (start + length - 1))
                .GET()
                .build();
        StoreBody[] self = new StoreBody[1];
        StoreBody body = new StoreBody(key, () -> open.remove(self[0]));
        self[0] = body;
        open.add(body);
        HttpResponse<StoreBody> answer;
        try {
            answer = http.sendAsync(request, info -> body).get(headTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            body.close();
            throw new InterruptedIOException("interrupted while reading " + key);
        } catch (ExecutionException e) {
            body.close();
            throw new IOException("the store cannot be read for " + key + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            body.close();
            throw new IOException("the store did not answer within " + headTimeout + " for " + key);
        }
        int status = answer.statusCode();
        if (status == 206 || status == 200 && start == 0) {
            return body;
        }
        body.discard();
        if (status == 404) {
            throw new NoSuchFileException(key);
        }
        throw new IOException("the store answered " + status + " for " + key);
    }

    @Override
    public Optional<URI> redirect(String sha256, long size, String contentType) throws IOException {
        if (redirectAbove <= 0 || size <= redirectAbove) {
            return Optional.empty();
        }
        // The store answers with the type the registry knows (objects are stored without one), never sniffable.
        String key = blobs.atKey(sha256, at -> {
            if (blobs.storedSize(at) == null) {
                throw new NoSuchFileException(at);
            }
            return at;
        });
        return Optional.of(URI.create(presigned(key, Map.of("response-content-type", contentType))));
    }

    @Override
    public InputStream read(String sha256) throws IOException {
        return blobs.read(sha256, 0, Long.MAX_VALUE - 1);
    }

    @Override
    public int sweepTemporary() throws IOException {
        int removed = sweepStale();
        try (var files = Files.newDirectoryStream(local, "*.part")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
                removed++;
            }
        }
        return removed;
    }

    @Override
    public int sweepStale() throws IOException {
        Instant before = Instant.now().minus(staleAfter);
        return blobs.abortStaleUploads(before) + blobs.removeUnmapped(before, keys);
    }

    @Override
    public void forEachBlob(Instant before, Consumer<String> visitor) throws IOException {
        blobs.forEachBlob(before, visitor);
        keys.forEachMapped(before, visitor);
    }

    @Override
    public boolean writable() {
        try {
            blobs.checkBucket();
            return true;
        } catch (IOException e) {
            LOG.fine(() -> "the bucket is not usable: " + e);
            return false;
        }
    }

    private void expireIdle() {
        long cutoff = System.nanoTime() - headTimeout.toNanos();
        for (StoreBody body : open) {
            body.expireIfIdleSince(cutoff);
        }
    }

    private String presigned(String key, Map<String, String> query) throws IOException {
        try {
            return client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                    .method(Http.Method.GET)
                    .bucket(bucket)
                    .object(key)
                    .expiry(PRESIGNED_SECONDS)
                    .extraQueryParams(query)
                    .build());
        } catch (MinioException e) {
            throw new IOException("no URL for " + key + ": " + e.getMessage(), e);
        }
    }
}
