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
 * part-sized buffer, a full one is sent as the next part of a multipart upload to a random key {@code data/<random>}
 * (at most two parts in flight, so memory is at most three parts whatever the size); {@link #seal} completes it,
 * {@link #place} says where the blob is, {@link #keep} marks it published, {@link #abort} drops what is not. Not
 * thread-safe: one writer at a time, as for a request's body.
 *
 * <p>Costs: a body that fits in one part stays in memory and is one PUT straight to its content key at
 * {@link #place}. A larger one costs the parts' PUTs and the completion, and stays at its random key, which the
 * publication maps to the hash ({@link S3Keys}): no copy, the store writes each byte once. What a crash leaves (an
 * incomplete upload, a completed object nothing maps) is for the stale-upload sweep.
 */
public final class S3PartSink {
    private static final Logger LOG = Logger.getLogger(S3PartSink.class.getName());
    private static final int PARTS_IN_FLIGHT = 2;

    private final S3Blobs blobs;
    private final String key;
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
    private boolean kept;

    S3PartSink(S3Blobs blobs, String key) {
        this.blobs = blobs;
        this.key = key;
        this.partSize = Math.toIntExact(blobs.partSize());
    }

    /** The multipart upload's key, {@code data/<random>}. */
    public String key() {
        return key;
    }

    /** Bytes written so far. */
    public long size() {
        return size;
    }

    /** Appends {@code length} bytes; may wait while two parts are in flight. A failed part fails a later call. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkOpen();
        if (sealed) {
            throw new IllegalStateException("the upload to " + key + " is sealed");
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
     * All bytes are written: a multipart upload is completed at its random key (a body within one part stays in
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
                blobs.complete(key, uploadId, parts);
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
     * Makes the sealed bytes the blob {@code sha256} (computed by the caller over the same bytes): a body within one
     * part is one PUT at its content key, unless a blob of the same size is there (dedup); a completed multipart
     * upload stays where it is, for the caller to map. Until {@link #keep}, {@link #abort} still removes it, so a
     * publication that does not commit leaves nothing behind.
     *
     * @return the key the blob is at now: this upload's {@link #key()}, or the content key; null when a blob already
     *     at the content key was kept
     */
    public String place(String sha256) throws IOException {
        if (!sealed || ended) {
            throw new IllegalStateException("the upload to " + key + " is not sealed");
        }
        if (completed) {
            return key;
        }
        String content = S3Blobs.key(sha256);
        Long stored = blobs.storedSize(content);
        if (stored != null && stored == size) {
            return null;
        }
        blobs.putBytes(content, buffer == null ? new byte[0] : buffer, filled);
        return content;
    }

    /** The completed upload is a published blob now: {@link #abort} leaves it where it is. */
    public void keep() {
        kept = true;
    }

    /**
     * Seals, places and keeps in one go (tools and tests; a publication maps the random key itself).
     *
     * @return the key the blob is at: this upload's {@link #key()} when it went as a multipart upload, else the
     *     content key
     */
    public String finish(String sha256) throws IOException {
        seal();
        try {
            String at = place(sha256);
            keep();
            return at == null ? S3Blobs.key(sha256) : at;
        } finally {
            abort();
        }
    }

    /**
     * Drops what is staged: waits for the parts in flight, aborts the multipart upload (so that no part is kept) or
     * removes the object it became unless kept. Failures are logged, for the stale-upload sweep. Idempotent.
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
            blobs.abortUpload(key, uploadId);
        }
        if (completed && !kept) {
            try {
                blobs.removeObject(key);
            } catch (IOException e) {
                LOG.warning(
                        () -> "object " + key + " of an unpublished upload could not be removed (swept later): " + e);
            }
        }
    }

    private void send() throws IOException {
        if (uploadId == null) {
            uploadId = blobs.createUpload(key);
        }
        drain(PARTS_IN_FLIGHT - 1);
        byte[] data = buffer;
        int length = filled;
        int number = parts.size() + inFlight.size() + 1;
        inFlight.addLast(blobs.uploadPart(key, uploadId, number, b -> b.data(data, length)));
        sentBuffers.addLast(data);
        buffer = null;
        filled = 0;
    }

    /** Waits until at most {@code left} parts are in flight; their buffers become spare. */
    private void drain(int left) throws IOException {
        while (inFlight.size() > left) {
            parts.add(blobs.await(inFlight.removeFirst(), key));
            spare.addLast(sentBuffers.removeFirst());
        }
    }

    private void checkOpen() {
        if (ended) {
            throw new IllegalStateException("the upload to " + key + " has ended");
        }
    }
}
