package pomf.edge.control;

import pomf.edge.entity.Chunk;

/**
 * Where a reader finds one chunk's bytes ({@link Filler#source}): stored whole already, in a {@link Fill} bringing
 * it from the origin now, or a {@link Filler.Segment}: a stream that will reach it soon, which wakes the reader then.
 */
public sealed interface ChunkSource permits ChunkSource.Stored, Fill, Filler.Segment {
    /** The chunk, whole, in the store. */
    record Stored(Chunk chunk) implements ChunkSource {}
}
