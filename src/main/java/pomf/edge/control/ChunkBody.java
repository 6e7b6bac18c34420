package pomf.edge.control;

import java.io.IOException;
import pomf.delivery.control.BodySource;
import pomf.delivery.control.Piece;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;

/**
 * The body of an answer from a cached object: each chunk from the store, or from its fill while it arrives. A reader
 * entering a chunk tells the filler how far ahead it will want the object (so streams run on while it reads) and,
 * when that chunk was not stored, makes sure the next one is on its way, so a sequential reader finds it ready. When
 * the answer ends (whole, cut, or its client gone) the reader leaves: streams stop bringing what only it wanted.
 *
 * <p>A window ahead is earned by reading: until its client has taken a quarter of a chunk (at most 256 KiB), a reader
 * wants only the chunk it is in and starts no prefetch. A client that hangs up at once is noticed only when a write
 * to it fails, after its first bytes; ranged requests at many offsets, each hung up so, used to bring their chunk and
 * the next each (issue 14, finding 2). A viewer takes a quarter of a chunk long before its stream gets to the chunk's
 * end, so the stream runs on into the next chunk without a pause.
 */
public final class ChunkBody implements BodySource {
    private final CachedObject object;
    private final Filler filler;
    private final EdgeCounters counters;
    private final int lastChunk;
    private int index = -1;
    private ChunkSource source;
    private boolean prefetch;
    private int wanted;
    private int reach;
    /** Chunks this reader has read through: its window ahead grows with them (see {@link Filler#aheadOf}). */
    private int read;
    /** Streams started for this chunk that ended without bringing it (a store that cannot keep it, say). */
    private int restarts;
    /** Where this answer's body began, and whether its client has taken enough of it to earn a window ahead. */
    private long began = -1;

    private boolean earned;

    /** A body ending at byte {@code last} (inclusive) of {@code object}. */
    public ChunkBody(CachedObject object, long last, Filler filler, EdgeCounters counters) {
        this.object = object;
        this.filler = filler;
        this.counters = counters;
        this.lastChunk = (int) (last / object.chunkSize());
    }

    @Override
    public boolean next(long position, int max, Piece piece, Runnable wake) throws IOException {
        int at = (int) (position / object.chunkSize());
        int offset = (int) (position - object.chunkStart(at));
        if (began < 0) {
            began = position;
        }
        if (at != index) {
            if (index >= 0) {
                read++;
            }
            index = at;
            source = null;
            restarts = 0;
            earned = earned || position - began >= earnedAfter();
            wanted = earned ? filler.aheadOf(object, at, lastChunk, read) : at + 1;
            reach = filler.reachOf(object, at, lastChunk);
            filler.want(object, this, at, wanted, reach);
            prefetch = earned && at < lastChunk;
        } else if (!earned && position - began >= earnedAfter()) {
            // Its client takes the bytes: from now on streams may run ahead of it, and the next chunk is asked for.
            earned = true;
            wanted = filler.aheadOf(object, at, lastChunk, read);
            filler.want(object, this, at, wanted, reach);
            if (at < lastChunk && !(source instanceof ChunkSource.Stored)) {
                filler.prefetch(object, this, at, wanted, reach);
            }
        }
        while (true) {
            ChunkSource waitedOn = null;
            if (source instanceof Filler.Segment segment) {
                // Woken by the stream we wait for: it failed, reached our chunk, or moved on.
                if (segment.failure() != null) {
                    throw new IOException("fetching " + object.name() + " failed", segment.failure());
                }
                waitedOn = segment;
                source = null;
            }
            if (source == null) {
                source = filler.source(object, this, at, wanted, reach, wake);
                if (waitedOn != null && source instanceof Filler.Segment && source != waitedOn && ++restarts > 3) {
                    // Stream after stream ended without this chunk and without failing: never loop on it.
                    throw new IOException("chunk " + at + " of " + object.name() + " could not be fetched");
                }
                if (prefetch && !(source instanceof ChunkSource.Stored)) {
                    // After this chunk's source, so a stream started for it covers the next one too. Not after a
                    // stored chunk: its object is most likely stored whole, and asking Ehcache's disk tier whether a
                    // key is there takes a write lock and a disk read (a thousand viewers of one video queued on it).
                    filler.prefetch(object, this, at, wanted, reach);
                }
                prefetch = false;
                if (source instanceof Filler.Segment) {
                    return false;
                }
            }
            if (source instanceof ChunkSource.Stored stored) {
                Chunk chunk = stored.chunk();
                int n = Math.min(max, chunk.length() - offset);
                piece.set(chunk.bytes(), offset, n);
                counters.fromCache(n);
                return true;
            }
            Fill fill = (Fill) source; // a segment returned above
            int length = fill.length();
            if (length > offset) {
                int n = Math.min(max, length - offset);
                piece.set(fill.buffer(), offset, n);
                return true;
            }
            if (fill.done()) {
                if (fill.failure() != null) {
                    throw new IOException("fetching " + object.name() + " failed", fill.failure());
                }
                source = null; // complete: it is stored now
                continue;
            }
            if (fill.await(offset, wake)) {
                return false;
            }
        }
    }

    /** Bytes a client takes before its reader earns a window ahead: a quarter of a chunk, at most 256 KiB. */
    private long earnedAfter() {
        return Math.min(256 * 1024, object.chunkSize() / 4);
    }

    @Override
    public void close() {
        filler.release(object, this);
    }
}
