package pomf.edge.chaos;

import java.time.Instant;
import pomf.it.origin.TestOrigin;

/**
 * One version of one object as the origin served it: an answer whose ETag names it must carry exactly these bytes,
 * this size, this Last-Modified and this media type. The bytes are computed from {@code salt} (never stored), so old
 * versions cost nothing to keep.
 */
record Version(
        String path, String etag, Instant lastModified, long size, long salt, String contentType, long bornNanos) {

    /** Copies bytes {@code from .. from + length - 1} of this version into {@code into}. */
    void copy(long from, byte[] into, int offset, int length) {
        for (int i = 0; i < length; i++) {
            into[offset + i] = TestOrigin.generatedByte(from + i, salt);
        }
    }

    byte[] bytes(long from, int length) {
        byte[] bytes = new byte[length];
        copy(from, bytes, 0, length);
        return bytes;
    }

    @Override
    public String toString() {
        return etag + " (" + size + " B, salt " + Long.toHexString(salt) + ")";
    }
}
