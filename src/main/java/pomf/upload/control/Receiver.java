package pomf.upload.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import pomf.hashlists.control.Md5Demand;
import pomf.storage.control.BlobStore;
import pomf.storage.control.ChunkPool;
import pomf.storage.control.ContentSink;
import pomf.storage.control.StorageExecutors;
import pomf.storage.entity.StagedBlob;

/**
 * Receives multipart uploads into temporary files, hashing as they stream, under every rule that can refuse a
 * file: name, size, detected type, banned hash. Each request gets a {@link Reception} fed with its bytes as they
 * arrive, so refusals happen as early as the information exists and no thread waits for a slow client.
 */
@ApplicationScoped
public class Receiver {
    @Inject
    UploadSettings settings;

    @Inject
    BlobStore blobs;

    @Inject
    StorageExecutors executors;

    @Inject
    ChunkPool chunks;

    /** Whether new sinks compute MD5 (only while a hash list has MD5 entries). */
    @Inject
    Md5Demand md5;

    /**
     * Starts receiving one request's body. The caller must {@link Reception#discard()} the reception when done,
     * whatever happens. (Called through the bean's proxy: the reception gets the bean itself.)
     */
    public Reception begin(String boundary) {
        return new Reception(this, boundary);
    }

    /** Where the next file's bytes go: a temporary file or a multipart upload, with its hashing sink. */
    BlobStore.Staging stage() {
        try {
            return blobs.stage(executors.hashing(), executors.flushing(), chunks, md5.wanted());
        } catch (IOException e) {
            throw StorageFailure.of(e);
        }
    }

    /** Pomf's {@code files[]}; plain {@code files} and ShareX-style {@code files[0]} as well. */
    static boolean isFileField(String name) {
        return name.equals("files[]") || name.equals("files") || name.matches("files\\[\\d{1,4}]");
    }

    /** What one request brought: files waiting in temporary files, and the form fields that matter. */
    public static final class Received {
        final List<ReceivedFile> files = new ArrayList<>();
        final List<StagedBlob> staged = new ArrayList<>();
        String expiry;
        String maxDownloads;

        /** One file received some other way (a resumable upload), to be published like a form's. */
        public static Received of(ReceivedFile file, String expiry, String maxDownloads) {
            Received received = new Received();
            received.files.add(file);
            received.staged.add(file.staged());
            received.expiry = expiry;
            received.maxDownloads = maxDownloads;
            return received;
        }

        public List<ReceivedFile> files() {
            return files;
        }

        public String expiry() {
            return expiry;
        }

        /** The {@code max_downloads} field as sent, null when absent. */
        public String maxDownloads() {
            return maxDownloads;
        }

        /** Removes every staged file still there (published ones were moved away already). */
        public void discard() {
            staged.forEach(StagedBlob::discard);
        }
    }

    /** One received file. */
    public record ReceivedFile(StagedBlob staged, String originalName, ContentSink.Digest digest, String contentType) {}
}
