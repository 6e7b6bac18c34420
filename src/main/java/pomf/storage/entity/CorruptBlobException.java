package pomf.storage.entity;

import java.io.IOException;

/**
 * A blob's bytes do not hash to its name: the copy of a corrupt (or truncated) source, refused before anything was
 * written at the content address.
 */
public class CorruptBlobException extends IOException {
    private final String sha256;
    private final String actual;
    private final long bytes;

    public CorruptBlobException(String sha256, String actual, long bytes) {
        super("blob " + sha256 + " holds " + bytes + " bytes whose SHA-256 is " + actual + ": corrupt, not copied");
        this.sha256 = sha256;
        this.actual = actual;
        this.bytes = bytes;
    }

    /** The name: the SHA-256 the bytes should have. */
    public String sha256() {
        return sha256;
    }

    /** The SHA-256 the bytes have. */
    public String actual() {
        return actual;
    }

    /** How many bytes were read. */
    public long bytes() {
        return bytes;
    }
}
