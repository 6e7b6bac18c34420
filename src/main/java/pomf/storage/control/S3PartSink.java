package pomf.storage.control;

import io.minio.messages.Part;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One streaming upload to {@link S3Blobs}, for bytes whose SHA-256 is known only at the end: {@link #write} fills a
 * part-sized buffer, a full one is sent as the next part of a multipart upload to {@code tmp/<name>} (at most two
 * parts in flight, so memory is at most three parts whatever the size); {@link #finish} completes it and moves it
 * to its content key, {@link #abort} drops it. Not thread-safe: one writer at a time, as for a request's body.
 *
 * <p>Costs: a body that fits in one part is one PUT straight to its content key, at {@link #finish}, with no
 * temporary object. A larger one costs the parts' PUTs, the completion, then a server-side copy (the store reads and
 * writes the bytes once more) and a DELETE of the temporary object. Until {@link #finish} returns nothing is at the
 * content key; what a crash leaves (an incomplete upload, a {@code tmp/} object) is for
 * {@link S3Blobs#abortStaleUploads}.
 */
public final class S3PartSink {
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
     * Makes the bytes written the blob {@code sha256} (computed by the caller over the same bytes). When the blob is
     * already there with the same size, the upload is dropped (dedup). On failure everything is aborted and nothing
     * is at the content key; the exception is thrown.
     *
     * @return the blob's size
     */
    public long finish(String sha256) throws IOException {
        checkOpen();
        String key = S3Blobs.key(sha256);
        try {
            if (uploadId == null) {
                Long stored = blobs.storedSize(key);
                if (stored == null || stored != size) {
                    blobs.putBytes(key, buffer == null ? new byte[0] : buffer, filled);
                }
            } else {
                if (filled > 0) {
                    send();
                }
                drain(0);
                blobs.complete(tempKey, uploadId, parts);
                completed = true;
                Long stored = blobs.storedSize(key);
                if (stored != null && stored == size) {
                    blobs.removeObject(tempKey);
                } else {
                    blobs.move(tempKey, key, size);
                }
            }
            ended = true;
            buffer = null;
            spare.clear();
            return size;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Drops the upload: waits for the parts in flight, aborts the multipart upload (so that no part is kept) and
     * removes the temporary object if it was completed. Failures are logged, for the stale-upload sweep. Idempotent.
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
                // swept later
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
