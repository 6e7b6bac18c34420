package pomf.storage.control;

import io.minio.messages.Part;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * One streaming upload to {@link S3Blobs}, for bytes whose SHA-256 is known only at the end: {@link #write} fills a
 * part-sized buffer, a full one is sent as the next part of a multipart upload to {@code tmp/<name>} (at most two
 * parts in flight, so memory is at most three parts whatever the size); {@link #seal} completes it, {@link #place}
 * puts it at its content key, {@link #abort} drops what is staged. Not thread-safe: one writer at a time, as for a
 * request's body.
 *
 * <p>Costs: a body that fits in one part stays in memory and is one PUT straight to its content key, with no
 * temporary object. A larger one costs the parts' PUTs, the completion, then a server-side copy to the content key
 * (the store reads and writes the bytes once more) and a DELETE of the temporary object. Until {@link #place} returns
 * nothing is at the content key; what a crash leaves (an incomplete upload, a {@code tmp/} object) is for
 * {@link S3Blobs#abortStaleUploads}.
 */
public final class S3PartSink {
    private static final Logger LOG = Logger.getLogger(S3PartSink.class.getName());
    private static final int PARTS_IN_FLIGHT = 2;

    private final S3Blobs blobs;
    private final String tempKey;
    private final int partSize;
    private final ArrayDeque<CompletableFuture<Part>> inFlight = new ArrayDeque<>();
    /** The buffers of the parts in flight, in the same order. */
    private final ArrayDeque<byte[]> sentBuffers = new ArrayDeque<>();
    /** Buffers whose parts were sent, for the next parts. */
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();

    private final List<Part> parts = new ArrayList<>();
    private byte[] buffer;
    private int filled;
    private long size;
    private String uploadId;
    private boolean completed;
    private boolean sealed;
    private boolean ended;

    S3PartSink(S3Blobs blobs, String tempKey) {
        this.blobs = blobs;
        this.tempKey = tempKey;
        this.partSize = Math.toIntExact(blobs.partSize());
    }

    /** The temporary key, {@code tmp/<name>}. */
    public String tempKey() {
        return tempKey;
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /** Appends {@code length} bytes; may wait while two parts are in flight. A failed part fails a later call. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkOpen();
        if (sealed) {
            throw new IllegalStateException("the upload to " + tempKey + " is sealed");
        }
        while (length > 0) {
            if (buffer == null) {
                buffer = spare.isEmpty() ? new byte[partSize] : spare.removeFirst();
            }
            int n = Math.min(length, partSize - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            size += n;
            if (filled == partSize) {
                send();
            }
        }
    }

    /** Appends the buffer's remaining bytes (its position moves to its limit). */
    public void write(ByteBuffer bytes) throws IOException {
        checkOpen();
        if (bytes.hasArray()) {
            write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            bytes.position(bytes.limit());
            return;
        }
        byte[] chunk = new byte[Math.min(bytes.remaining(), 64 * 1024)];
        while (bytes.hasRemaining()) {
            int n = Math.min(chunk.length, bytes.remaining());
            bytes.get(chunk, 0, n);
            write(chunk, 0, n);
        }
    }

    /**
     * All bytes are written: a multipart upload is completed to the temporary key (a body within one part stays in
     * its buffer, for one PUT at {@link #place}). Nothing is at a content key yet. On failure everything is aborted.
     */
    public void seal() throws IOException {
        checkOpen();
        if (sealed) {
            return;
        }
        try {
            if (uploadId != null) {
                if (filled > 0) {
                    send();
                }
                drain(0);
                blobs.complete(tempKey, uploadId, parts);
                completed = true;
                buffer = null;
                spare.clear();
            }
            sealed = true;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Makes the sealed bytes the blob {@code sha256} (computed by the caller over the same bytes): one PUT of a small
     * body, a server-side copy of the temporary object otherwise; a blob already there with the same size is kept
     * (dedup). The staged bytes stay until {@link #abort}, so a publication that does not commit can place again.
     *
     * @return whether bytes were written at the content key
     */
    public boolean place(String sha256) throws IOException {
        if (!sealed || ended) {
            throw new IllegalStateException("the upload to " + tempKey + " is not sealed");
        }
        String key = S3Blobs.key(sha256);
        Long stored = blobs.storedSize(key);
        if (stored != null && stored == size) {
            return false;
        }
        if (completed) {
            blobs.copy(tempKey, key, size);
        } else {
            blobs.putBytes(key, buffer == null ? new byte[0] : buffer, filled);
        }
        return true;
    }

    /**
     * Seals and places in one go, then lets go of what was staged (tools, tests).
     *
     * @return the blob's size
     */
    public long finish(String sha256) throws IOException {
        seal();
        try {
            place(sha256);
        } finally {
            abort();
        }
        return size;
    }

    /**
     * Drops what is staged: waits for the parts in flight, aborts the multipart upload (so that no part is kept) or
     * removes the temporary object it became. Failures are logged, for the stale-upload sweep. Idempotent.
     */
    public void abort() {
        if (ended) {
            return;
        }
        ended = true;
        buffer = null;
        spare.clear();
        for (CompletableFuture<Part> part : inFlight) {
            try {
                part.join();
            } catch (RuntimeException e) {
                // the part failed: nothing of it is kept
            }
        }
        inFlight.clear();
        if (uploadId != null && !completed) {
            blobs.abortUpload(tempKey, uploadId);
        }
        if (completed) {
            try {
                blobs.removeObject(tempKey);
            } catch (IOException e) {
                LOG.warning(() -> "temporary object " + tempKey + " could not be removed (swept later): " + e);
            }
        }
    }

    private void send() throws IOException {
        if (uploadId == null) {
            uploadId = blobs.createUpload(tempKey);
        }
        drain(PARTS_IN_FLIGHT - 1);
        byte[] data = buffer;
        int length = filled;
        int number = parts.size() + inFlight.size() + 1;
        inFlight.addLast(blobs.uploadPart(tempKey, uploadId, number, b -> b.data(data, length)));
        sentBuffers.addLast(data);
        buffer = null;
        filled = 0;
    }

    /** Waits until at most {@code left} parts are in flight; their buffers become spare. */
    private void drain(int left) throws IOException {
        while (inFlight.size() > left) {
            parts.add(blobs.await(inFlight.removeFirst(), tempKey));
            spare.addLast(sentBuffers.removeFirst());
        }
    }

    private void checkOpen() {
        if (ended) {
            throw new IllegalStateException("the upload to " + tempKey + " has ended");
        }
    }
}
