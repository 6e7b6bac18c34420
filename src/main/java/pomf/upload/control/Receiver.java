package pomf.upload.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pomf.storage.control.BlobStore;
import pomf.storage.control.ContentSink;
import pomf.storage.control.StorageExecutors;
import pomf.upload.entity.UploadRejectedException;

/**
 * Streams a multipart upload to temporary files, hashing as it goes, and applies every rule that can refuse a
 * file: name, size, detected type, banned hash. Refusals happen as early as the information exists.
 */
@ApplicationScoped
public class Receiver {
    /** Enough for every magic of the blocked types (browsers sniff 512 bytes); Tika's 64 KiB costs 2 ms an upload. */
    static final int HEAD_BYTES = 16 * 1024;

    private static final int MAX_FIELD_BYTES = 256;

    @Inject
    UploadSettings settings;

    @Inject
    BlobStore blobs;

    @Inject
    StorageExecutors executors;

    /** Receives the whole body; the caller must {@link Received#discard()} it when done, whatever happens. */
    public Received receive(InputStream body, String boundary) {
        Received received = new Received();
        try {
            MultipartReader reader = new MultipartReader(new RequestBody(body, settings.maxRequestSize()), boundary);
            PartHeaders part;
            while ((part = reader.nextPart()) != null) {
                if (part.isFile()
                        && isFileField(part.name())
                        && !part.filename().isEmpty()) {
                    if (received.files.size() >= settings.maxFiles()) {
                        throw new UploadRejectedException(400, "Too many files (limit " + settings.maxFiles() + ").");
                    }
                    received.files.add(receiveFile(reader, part, received));
                } else if (part.name().equals("expiry")) {
                    received.expiry = readField(reader);
                }
            }
            return received;
        } catch (IOException e) {
            received.discard();
            throw new RequestBody.ClientGoneException(e);
        } catch (RuntimeException e) {
            received.discard();
            throw e;
        }
    }

    private ReceivedFile receiveFile(MultipartReader reader, PartHeaders part, Received received) {
        if (!settings.policy().acceptsName(part.filename())) {
            throw UploadRejectedException.notAllowed();
        }
        Path temp = newTemp();
        received.temps.add(temp);
        byte[] head = new byte[HEAD_BYTES];
        int headLength = 0;
        boolean typeChecked = false;
        String type = null;
        try (ContentSink sink = new ContentSink(temp, executors.hashing(), executors.flushing())) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = reader.read(buffer, 0, buffer.length)) >= 0) {
                if (headLength < HEAD_BYTES) {
                    int keep = Math.min(n, HEAD_BYTES - headLength);
                    System.arraycopy(buffer, 0, head, headLength, keep);
                    headLength += keep;
                }
                if (!typeChecked && headLength == HEAD_BYTES) {
                    type = checkedType(head, headLength);
                    typeChecked = true;
                }
                sink.write(buffer, 0, n);
                if (sink.size() > settings.maxSize()) {
                    throw UploadRejectedException.tooLarge(settings.maxSize());
                }
            }
            if (!typeChecked) {
                type = checkedType(head, headLength);
            }
            ContentSink.Digest digest = sink.finish();
            // The registry's ban list is checked in the publishing transaction (Registry.publish).
            if (settings.bannedByConfiguration(digest.sha1(), digest.sha256())) {
                throw UploadRejectedException.blacklisted();
            }
            return new ReceivedFile(temp, FileNames.originalName(part.filename()), digest, type);
        } catch (IOException e) {
            throw StorageFailure.of(e);
        }
    }

    private String checkedType(byte[] head, int length) {
        String type = ContentTypes.detect(Arrays.copyOf(head, length));
        if (!settings.policy().acceptsType(ContentTypes.namesOf(type))) {
            throw UploadRejectedException.notAllowed();
        }
        return type;
    }

    private Path newTemp() {
        try {
            return blobs.newTemp();
        } catch (IOException e) {
            throw StorageFailure.of(e);
        }
    }

    private static String readField(MultipartReader reader) {
        try {
            byte[] value = new byte[MAX_FIELD_BYTES];
            int length = 0;
            int n;
            while ((n = reader.read(value, length, value.length - length)) >= 0) {
                length += n;
                if (length == value.length) {
                    throw new UploadRejectedException(400, "A form field is too long.");
                }
            }
            return new String(value, 0, length, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pomf's {@code files[]}; plain {@code files} and ShareX-style {@code files[0]} as well. */
    static boolean isFileField(String name) {
        return name.equals("files[]") || name.equals("files") || name.matches("files\\[\\d{1,4}]");
    }

    /** What one request brought: files waiting in temporary files, and the form fields that matter. */
    public static final class Received {
        final List<ReceivedFile> files = new ArrayList<>();
        final List<Path> temps = new ArrayList<>();
        String expiry;

        public List<ReceivedFile> files() {
            return files;
        }

        public String expiry() {
            return expiry;
        }

        /** Removes every temporary file still there (published ones were moved away already). */
        public void discard() {
            temps.forEach(BlobStore::discard);
        }
    }

    /** One received file. */
    public record ReceivedFile(Path temp, String originalName, ContentSink.Digest digest, String contentType) {}
}
