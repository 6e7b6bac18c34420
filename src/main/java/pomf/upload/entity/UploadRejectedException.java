package pomf.upload.entity;

import java.util.Locale;

/**
 * An upload that cannot be accepted, with the HTTP status and the description the client reads. Nothing of the
 * request is kept when it is thrown.
 */
public class UploadRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final long retryAfterSeconds;

    public UploadRejectedException(int status, String description) {
        this(status, description, 0, null);
    }

    public UploadRejectedException(int status, String description, long retryAfterSeconds, Throwable cause) {
        super(description, cause);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static UploadRejectedException noInput() {
        return new UploadRejectedException(400, "No input file(s)");
    }

    public static UploadRejectedException notAllowed() {
        return new UploadRejectedException(415, "File type not allowed.");
    }

    /** The client's address is in a block of the operator's: refused before any byte is stored. */
    public static UploadRejectedException blocked() {
        return new UploadRejectedException(403, "Uploads from your address are blocked.");
    }

    /** Content on a ban list: 451 Unavailable For Legal Reasons (RFC 7725), as its links answer once taken down. */
    public static UploadRejectedException blacklisted() {
        return new UploadRejectedException(451, "File unavailable for legal reasons.");
    }

    public static UploadRejectedException tooLarge(long limit) {
        return new UploadRejectedException(413, "File too large (limit " + mebibytes(limit) + " MiB).");
    }

    public int status() {
        return status;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static String mebibytes(long bytes) {
        double mib = bytes / (1024.0 * 1024.0);
        return mib == Math.rint(mib) ? Long.toString((long) mib) : String.format(Locale.ROOT, "%.2f", mib);
    }
}
