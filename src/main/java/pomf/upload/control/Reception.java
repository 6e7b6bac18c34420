package pomf.upload.control;

import java.nio.charset.StandardCharsets;
import pomf.names.control.FileNames;
import pomf.storage.control.BlobStore;
import pomf.upload.entity.UploadRejectedException;

/**
 * One request's body, taken slice by slice as it arrives: files go to temporary files, the expiry field is kept,
 * and every rule that can refuse the request applies as soon as its information exists (name and count when a
 * part starts, size as bytes arrive, type once enough bytes are in, banned hash once the file is complete). The
 * steps that may wait for the disk are separate calls ({@link #runStep()}), so the caller chooses their thread.
 * Not thread-safe: one thread at a time, with a happens-before edge between threads (a lock, an executor).
 */
public final class Reception implements MultipartParser.Handler {
    private static final int MAX_FIELD_BYTES = 256;

    private final Receiver receiver;
    private final MultipartParser parser;
    private final Receiver.Received received = new Receiver.Received();
    private IncomingFile file;
    /** A file part that just started and whose temporary file is still to be opened. */
    private String opening;
    /** A file part that just ended and is still to be completed. */
    private IncomingFile ended;

    private byte[] field;
    private int fieldLength;
    private String fieldName;
    private boolean discarded;

    Reception(Receiver receiver, String boundary) {
        this.receiver = receiver;
        this.parser = new MultipartParser(boundary, this);
    }

    /** Parses what arrived; returns how much was used, fewer bytes when a step must run first ({@link #hasStep()}). */
    public int take(byte[] bytes, int offset, int length) {
        if (hasStep() || discarded) {
            throw new IllegalStateException("a step is pending or the reception was discarded");
        }
        return parser.feed(bytes, offset, length);
    }

    /** A file must be opened or completed before more bytes can be taken; both may wait for the disk. */
    public boolean hasStep() {
        return opening != null || ended != null;
    }

    /** Opens the temporary file of the part that started, or completes the file of the part that ended. */
    public void runStep() {
        if (opening != null) {
            BlobStore.Staging staging = receiver.stage();
            received.staged.add(staging.staged());
            file = new IncomingFile(receiver, staging, opening);
            opening = null;
        } else if (ended != null) {
            IncomingFile done = ended;
            ended = null;
            received.files.add(done.complete());
        }
    }

    /** The client is slow: nothing of this request should sit in a buffer while it waits. */
    public void pause() {
        if (file != null) {
            file.pause();
        }
    }

    /** The closing delimiter was seen: the body is complete. */
    public boolean isComplete() {
        return parser.isFinished() && !hasStep();
    }

    /** The body ended; fails unless it was complete. */
    public void endOfInput() {
        parser.end();
    }

    /** What the request brought; refused when it brought no file. */
    public Receiver.Received received() {
        if (received.files.isEmpty()) {
            throw UploadRejectedException.noInput();
        }
        return received;
    }

    /** Removes every temporary file still there (published ones were moved away already); idempotent. */
    public void discard() {
        discarded = true;
        IncomingFile open = file != null ? file : ended;
        file = null;
        ended = null;
        if (open != null) {
            open.abandon();
        }
        received.discard();
    }

    @Override
    public void partStarted(PartHeaders part) {
        if (part.isFile()
                && Receiver.isFileField(part.name())
                && !part.filename().isEmpty()) {
            if (received.files.size() >= receiver.settings.maxFiles()) {
                throw new UploadRejectedException(400, "Too many files (limit " + receiver.settings.maxFiles() + ").");
            }
            if (!receiver.settings.policy().acceptsName(part.filename())) {
                throw UploadRejectedException.notAllowed();
            }
            opening = FileNames.originalName(part.filename());
        } else if (part.name().equals("expiry") || part.name().equals("max_downloads")) {
            field = new byte[MAX_FIELD_BYTES];
            fieldLength = 0;
            fieldName = part.name();
        }
    }

    @Override
    public void partData(byte[] bytes, int offset, int length) {
        if (file != null) {
            file.write(bytes, offset, length);
        } else if (field != null) {
            if (fieldLength + length >= MAX_FIELD_BYTES) {
                throw new UploadRejectedException(400, "A form field is too long.");
            }
            System.arraycopy(bytes, offset, field, fieldLength, length);
            fieldLength += length;
        }
    }

    @Override
    public void partEnded() {
        if (file != null) {
            ended = file;
            file = null;
        } else if (field != null) {
            String value = new String(field, 0, fieldLength, StandardCharsets.UTF_8).trim();
            if (fieldName.equals("expiry")) {
                received.expiry = value;
            } else {
                DownloadLimit.parse(value); // refused now, before the files that may follow are received
                received.maxDownloads = value;
            }
            field = null;
        }
    }
}
