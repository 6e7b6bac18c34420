package pomf.edge.entity;

/**
 * One stored piece of an object's body, checked against its checksum when it was read from disk. Never changed
 * once made: answers hand its bytes to the socket as they are, however many share it.
 */
public record Chunk(byte[] bytes) {}
