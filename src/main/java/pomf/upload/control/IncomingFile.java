package pomf.upload.control;

import java.io.IOException;
import java.util.Arrays;
import pomf.storage.control.BlobStore;
import pomf.storage.control.ContentSink;
import pomf.storage.entity.StagedBlob;
import pomf.upload.entity.UploadRejectedException;

/**
 * One file part on its way to a temporary file: its first bytes kept for type detection until there are enough,
 * its size held to the limit before a byte too many is written, its content hashed as it goes.
 */
final class IncomingFile {
    /** Enough for every magic of the blocked types (browsers sniff 512 bytes); Tika's 64 KiB costs 2 ms an upload. */
    static final int HEAD_BYTES = 16 * 1024;

    private final Receiver receiver;
    private final StagedBlob staged;
    private final String originalName;
    private final ContentSink sink;
    private byte[] head = new byte[HEAD_BYTES];
    private int headLength;
    private String type;

    /** Opens the temporary file: a step that may wait for the disk. */
    IncomingFile(Receiver receiver, BlobStore.Staging staging, String originalName) {
        this.receiver = receiver;
        this.staged = staging.staged();
        this.originalName = originalName;
        this.sink = staging.sink();
    }

    void write(byte[] bytes, int offset, int length) {
        if (sink.size() + length > receiver.settings.maxSize()) {
            throw UploadRejectedException.tooLarge(receiver.settings.maxSize());
        }
        if (head != null) {
            int keep = Math.min(length, HEAD_BYTES - headLength);
            System.arraycopy(bytes, offset, head, headLength, keep);
            headLength += keep;
            if (headLength == HEAD_BYTES) {
                checkType();
            }
        }
        try {
            sink.write(bytes, offset, length);
        } catch (IOException e) {
            throw StorageFailure.of(e);
        }
    }

    /** The client is slow: hand what is buffered to the disk and the hashes, and keep no chunk meanwhile. */
    void pause() {
        try {
            sink.pause();
        } catch (IOException e) {
            throw StorageFailure.of(e);
        }
    }

    /** The part ended: the type decided, the file durable and hashed, the configured ban list checked. */
    Receiver.ReceivedFile complete() {
        if (head != null) {
            checkType();
        }
        try (sink) {
            ContentSink.Digest digest = sink.finish();
            // The registry's ban list is checked in the publishing transaction (Registry.publish).
            if (receiver.settings.bannedByConfiguration(digest.sha1(), digest.sha256())) {
                throw UploadRejectedException.blacklisted();
            }
            return new Receiver.ReceivedFile(staged, originalName, digest, type);
        } catch (IOException e) {
            throw StorageFailure.of(e);
        }
    }

    /** Stops writing; the temporary file itself is removed with the request's others. */
    void abandon() {
        sink.close();
    }

    private void checkType() {
        type = ContentTypes.detect(Arrays.copyOf(head, headLength));
        head = null;
        if (!receiver.settings.policy().acceptsType(ContentTypes.namesOf(type))) {
            throw UploadRejectedException.notAllowed();
        }
    }
}
