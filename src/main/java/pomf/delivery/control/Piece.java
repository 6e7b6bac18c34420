package pomf.delivery.control;

import java.nio.ByteBuffer;

/**
 * The next bytes of a body, as a source points at them: a slice of an array or buffer the source never changes
 * again (a stored chunk, the filled part of a chunk being fetched, a mapped file), so they can be handed to the
 * socket without a copy. One per answer, reused for every slice.
 */
public final class Piece {
    private byte[] array;
    private ByteBuffer buffer;
    private int offset;
    private int length;

    public void set(byte[] array, int offset, int length) {
        this.array = array;
        this.buffer = null;
        this.offset = offset;
        this.length = length;
    }

    /** A buffer whose remaining bytes are the piece (a mapped file region, say). */
    public void set(ByteBuffer buffer) {
        this.array = null;
        this.buffer = buffer;
        this.offset = 0;
        this.length = buffer.remaining();
    }

    /** The piece as a buffer of its own (the array wrapped, or the buffer itself). */
    public ByteBuffer asBuffer() {
        return buffer != null ? buffer : ByteBuffer.wrap(array, offset, length);
    }

    /** The array holding the piece, or null when it is a buffer without one. */
    public byte[] array() {
        return array;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }
}
