package pomf.edge.entity;

/**
 * One stored piece of an object's body, checked against its checksum when it was read from disk. Never changed
 * once made: answers hand its bytes to the socket as they are, however many share it. The chunk is the first
 * {@code length} bytes of {@code bytes}; a chunk fresh from the origin keeps room for its seal after them, so it
 * goes to disk without a copy (what follows {@code length} is never part of an answer).
 */
public record Chunk(byte[] bytes, int length) {
    public Chunk {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("a chunk of " + length + " bytes in an array of " + bytes.length);
        }
    }

    public Chunk(byte[] bytes) {
        this(bytes, bytes.length);
    }
}
