package pomf.storage.entity;

import java.io.IOException;

/**
 * The bytes of one upload, complete and hashed, waiting where the blob store keeps uploads in flight: a temporary
 * file beside the blobs, or a temporary object in the bucket. Publication {@link #place}s them at their content
 * address under the hash's lock; a publication that does not commit {@link #unplace}s them; whoever received them
 * {@link #discard}s what is left, whatever happened.
 */
public interface StagedBlob {
    /** Makes the bytes the blob {@code sha256} (the caller computed it over them); a blob already there is kept. */
    void place(String sha256) throws IOException;

    /** Undoes {@link #place} of a publication that did not commit, so that a next attempt can place again. */
    void unplace(String sha256);

    /** Removes what is still staged (nothing once placed and committed); never fails, a failure is logged. */
    void discard();

    /** A description for logs: the temporary file or key. */
    String where();
}
