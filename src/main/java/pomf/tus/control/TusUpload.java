package pomf.tus.control;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import pomf.storage.control.ContentSink;

/**
 * One resumable upload that has not ended: its declared length, what the Pomf form would have carried (file name,
 * expiry), who started it and until when it may be resumed (its window from the last request that brought bytes). The bytes received so far are its data file, whose size
 * is the offset; one PATCH at a time holds it ({@link #claim()}).
 */
public final class TusUpload {
    private final String id;
    private final long length;
    private final String filename;
    private final String expiry;
    private final String maxDownloads;
    private final String address;
    private volatile Instant expires;
    private final Path data;
    private final Path info;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Writer writer;
    /** Hashing what arrived since byte 0 (kept between requests); null after a restart or a dropped body. */
    private ContentSink sink;

    /** The request writing this upload now, as far as another request needs to know it. */
    public interface Writer {
        /** Nanoseconds since it last received a byte. */
        long idleNanos();

        /** Ends it now (its client has gone quiet), keeping what it wrote; the upload is released when this returns. */
        void abandon();

        /**
         * The upload's bytes received so far while it reads, some perhaps not yet in the file (a fast client's
         * last chunk waits in memory until it is full or the client pauses long); -1 when the file's size says it.
         */
        long received();
    }

    public TusUpload(
            String id,
            long length,
            String filename,
            String expiry,
            String maxDownloads,
            String address,
            Instant expires,
            Path folder) {
        this.id = id;
        this.length = length;
        this.filename = filename;
        this.expiry = expiry;
        this.maxDownloads = maxDownloads;
        this.address = address;
        this.expires = expires;
        this.data = folder.resolve(id + ".bin");
        this.info = folder.resolve(id + ".info");
    }

    public String id() {
        return id;
    }

    public long length() {
        return length;
    }

    public String filename() {
        return filename;
    }

    /** The {@code expiry} the client asked for (as the Pomf form's field), or null for the default. */
    public String expiry() {
        return expiry;
    }

    /** The {@code max_downloads} the client asked for (as the Pomf form's field), or null for none. */
    public String maxDownloads() {
        return maxDownloads;
    }

    public String address() {
        return address;
    }

    /** Until when it may be resumed: its window, from the last request that brought bytes. */
    public Instant expires() {
        return expires;
    }

    public void expires(Instant expires) {
        this.expires = expires;
    }

    public Path data() {
        return data;
    }

    public Path info() {
        return info;
    }

    /** Taken by one PATCH (or the termination) at a time: false when another holds it. */
    public boolean claim() {
        return busy.compareAndSet(false, true);
    }

    public void release() {
        writer = null;
        busy.set(false);
    }

    /**
     * The sink that has written and hashed every byte so far, or null: then the hashes are computed from the file at
     * the end. Read and changed only by the request that holds the upload ({@link #claim()}).
     */
    public ContentSink sink() {
        return sink;
    }

    public void sink(ContentSink s) {
        sink = s;
    }

    /** Closes and forgets the sink: its hashes no longer match the file. */
    public void dropSink() {
        if (sink != null) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                // its file is the upload's, which stays as it is
            }
            sink = null;
        }
    }

    /** The request that holds the upload, while it writes; null otherwise. */
    public Writer writer() {
        return writer;
    }

    public void writing(Writer w) {
        writer = w;
    }
}
