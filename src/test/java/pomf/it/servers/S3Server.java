package pomf.it.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A real S3 API server for the tests: S3Proxy in this JVM on 127.0.0.1 and a free port, over its NIO filesystem
 * backend ({@code filesystem}) in a temporary folder, signed requests (V2 or V4) with a fixed key pair, path-style
 * addresses. That backend does multipart uploads (with their listing and abort), UploadPartCopy, ranged GETs, HEAD,
 * copy, list and delete. {@link #failing(boolean)} makes every store operation answer 500 {@code InternalError}
 * until it is turned off, for fault tests. {@link #close()} stops the server and removes the folder.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "pomf-test-access";
    public static final String SECRET_KEY = "pomf-test-secret-key-0123456789";

    private final Path folder;
    private final S3Proxy proxy;
    private final BlobStore store;
    private volatile boolean failing;
    private volatile boolean stallRequests;
    private volatile long stallDownloadsAfter = -1;

    private S3Server(Path folder, int port) throws Exception {
        this.folder = folder;
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        store = BlobStores.create("filesystem", properties);
        BlobStore faulty = (BlobStore) Proxy.newProxyInstance(
                BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class}, (self, method, args) -> {
                    if (failing && !method.getName().equals("close")) {
                        throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "fault injected by the test");
                    }
                    if (stallRequests && method.getName().equals("uploadMultipartPart")) {
                        awaitRelease(() -> stallRequests); // the part is never answered while stalled
                        // ... and then fails: its client gave up long ago (a late part must not create anything).
                        throw new S3ProxyException(S3ErrorCode.INTERNAL_ERROR, "stalled part released by the test");
                    }
                    try {
                        Object result = method.invoke(store, args);
                        long after = stallDownloadsAfter;
                        if (after >= 0
                                && method.getName().equals("getBlob")
                                && result instanceof ResponseInputStream<?>) {
                            @SuppressWarnings("unchecked")
                            ResponseInputStream<GetObjectResponse> body =
                                    (ResponseInputStream<GetObjectResponse>) result;
                            return new ResponseInputStream<>(body.response(), stalling(body, after));
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        proxy = S3Proxy.builder()
                .blobStore(faulty)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .stopTimeout(0)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /** Starts a server with an empty store in a new temporary folder. */
    public static S3Server start() {
        try {
            return new S3Server(Files.createTempDirectory("pomf-s3-"), 0);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy could not start", e);
        }
    }

    /**
     * Starts a server keeping its buckets in {@code folder} (created if missing; removed by {@link #close()}) on a
     * fixed port ({@code 0}: a free one), for a run that keeps its data beside its logs (the rehearsal).
     */
    public static S3Server start(Path folder, int port) {
        try {
            Files.createDirectories(folder);
            return new S3Server(folder, port);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy could not start on port " + port + " in " + folder, e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, for a path-style client. */
    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public int port() {
        return proxy.getPort();
    }

    /** Creates a bucket directly in the backend (no request). */
    public void createBucket(String bucket) {
        store.createContainer(bucket);
    }

    /** The folder the filesystem backend keeps its buckets in. */
    public Path folder() {
        return folder;
    }

    /**
     * While on, every part of a multipart upload is received but never answered (a store that stalls mid-upload),
     * until turned off.
     */
    public void stallUploads(boolean on) {
        stallRequests = on;
    }

    /**
     * From now on every GET sends {@code bytes} bytes of its body, then nothing more (a store that stalls
     * mid-download) until {@link #releaseDownloads()}; the connection stays open.
     */
    public void stallDownloadsAfter(long bytes) {
        stallDownloadsAfter = bytes;
    }

    public void releaseDownloads() {
        stallDownloadsAfter = -1;
    }

    private static void awaitRelease(java.util.function.BooleanSupplier stalled) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (stalled.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** A body that gives {@code after} bytes, then waits while downloads are stalled. */
    private InputStream stalling(InputStream body, long after) {
        return new java.io.FilterInputStream(body) {
            private long sent;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (sent >= after) {
                    try {
                        awaitRelease(() -> stallDownloadsAfter >= 0);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                }
                int n = super.read(bytes, offset, sent < after ? (int) Math.min(length, after - sent) : length);
                sent += Math.max(0, n);
                return n;
            }
        };
    }

    /** While on, every store operation answers 500 InternalError (the request is read, nothing is stored). */
    public void failing(boolean on) {
        failing = on;
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            removeFolder();
        }
    }

    /** Stops the server and keeps its folder (a failed run's evidence); {@link #close()} removes it as well. */
    public void stop() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop", e);
        } finally {
            store.close();
        }
    }

    private void removeFolder() {
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
