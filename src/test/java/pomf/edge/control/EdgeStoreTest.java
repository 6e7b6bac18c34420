package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;

/**
 * A chunk some answer still holds is handed to the next reader as it is, not read from disk again: three copies of
 * it on the heap and a checksum per reader otherwise, which is what two thousand ranges hung up at once on chunks
 * beyond the heap tier cost an edge (issue 14).
 */
class EdgeStoreTest {
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path folder;

    private EdgeStore store;

    @BeforeEach
    void open() {
        // One chunk on the heap tier: every other chunk read comes from disk.
        store = new EdgeStore(folder.resolve("cache"), 64L << 20, 1);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static CachedObject object(String name, int chunks) {
        return new CachedObject(name, "\"e-" + name + "\"", "", (long) chunks * CHUNK, CHUNK, Map.of(), 0, 60_000);
    }

    private static byte[] bytes(int seed) {
        byte[] b = new byte[CHUNK];
        Arrays.fill(b, (byte) seed);
        b[0] = (byte) (seed + 1);
        return b;
    }

    @Test
    void aChunkStillHeldIsSharedThoughTheHeapTierLetItGo() {
        CachedObject video = object("aaaaaaaa.mp4", 3);
        for (int i = 0; i < 3; i++) {
            store.putChunk(video.chunkKey(i), bytes(i));
        }
        Chunk first = store.chunk(video.chunkKey(0));
        // Two other chunks read since: the heap tier (one entry) no longer has chunk 0.
        Chunk other = store.chunk(video.chunkKey(1));
        Chunk third = store.chunk(video.chunkKey(2));

        Chunk again = store.chunk(video.chunkKey(0));

        assertThat(again).isSameAs(first);
        assertThat(again.bytes()).isEqualTo(bytes(0));
        assertThat(other.bytes()).isEqualTo(bytes(1));
        assertThat(third.bytes()).isEqualTo(bytes(2));
    }

    @Test
    void aRemovedObjectsChunksAreNotHandedOutThoughSomethingHoldsThem() {
        CachedObject video = object("bbbbbbbb.mp4", 2);
        store.putChunk(video.chunkKey(0), bytes(7));
        store.putChunk(video.chunkKey(1), bytes(8));
        Chunk held = store.chunk(video.chunkKey(0));
        Chunk alsoHeld = store.chunk(video.chunkKey(1));

        store.remove(video);

        assertThat(held).isNotNull();
        assertThat(alsoHeld).isNotNull();
        assertThat(store.chunk(video.chunkKey(0))).isNull();
        assertThat(store.chunk(video.chunkKey(1))).isNull();
    }

    @Test
    void aFillsBufferIsStoredAsItsChunkAloneAndReadsBackFromDisk() {
        CachedObject video = object("dddddddd.mp4", 1);
        Fill fill = new Fill(CHUNK);
        byte[] body = bytes(9);
        fill.append(body, 0, body.length);
        store.putChunk(video.chunkKey(0), fill.buffer(), fill.length());
        store.put(video);
        store.close();

        store = new EdgeStore(folder.resolve("cache"), 64L << 20, 1); // a clean restart: the chunk comes from disk
        Chunk stored = store.chunk(video.chunkKey(0));

        assertThat(stored.length()).isEqualTo(CHUNK);
        assertThat(stored.bytes()).isEqualTo(body);
    }

    @Test
    void chunksNothingHoldsAreForgotten() throws InterruptedException {
        CachedObject video = object("cccccccc.mp4", 8);
        for (int i = 0; i < 8; i++) {
            store.putChunk(video.chunkKey(i), bytes(i));
            store.chunk(video.chunkKey(i)); // read and dropped at once
        }
        assertThat(store.heldCount()).isPositive();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.heldCount() > 1 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        // At most the heap tier's one chunk is still held (by the tier itself).
        assertThat(store.heldCount()).isLessThanOrEqualTo(1);
        for (int i = 0; i < 8; i++) {
            assertThat(store.chunk(video.chunkKey(i)).bytes()).isEqualTo(bytes(i));
        }
    }
}
