package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;

class HotFilesTest {
    static final int CHUNK = 1 << 16;
    static final long MIN = 100_000;

    @TempDir
    Path folder;

    final ScheduledThreadPoolExecutor writer = new ScheduledThreadPoolExecutor(1);
    /** The "store": chunks by key, as EdgeStore keys them (name, version, index). */
    final Map<String, Chunk> stored = new HashMap<>();

    @AfterEach
    void stop() throws InterruptedException {
        writer.shutdownNow();
        // a write a miss asked for may still be under way: let it end before the folder is removed
        assertThat(writer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Free bytes the "disk" has for copies. */
    long free = Long.MAX_VALUE;

    HotFiles files(long budget, long grace) {
        return new HotFiles(
                folder,
                budget,
                MIN,
                (object, i) -> stored.get(object.chunkKey(i)),
                writer,
                bytes -> bytes <= free,
                grace);
    }

    /** An object of {@code size} random bytes under {@code name} and {@code etag}, its chunks stored. */
    byte[] store(CachedObject object, long seed) {
        byte[] bytes = new byte[(int) object.size()];
        new Random(seed).nextBytes(bytes);
        for (int i = 0; i < object.chunkCount(); i++) {
            int from = (int) object.chunkStart(i);
            byte[] chunk = java.util.Arrays.copyOfRange(bytes, from, from + object.chunkLength(i));
            synchronized (stored) {
                stored.put(object.chunkKey(i), new Chunk(chunk));
            }
        }
        return bytes;
    }

    static CachedObject object(String name, String etag, long size) {
        return new CachedObject(name, etag, "", size, CHUNK, Map.of(), 0, Long.MAX_VALUE);
    }

    void settle() throws Exception {
        writer.submit(() -> {}).get(10, TimeUnit.SECONDS);
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    @Test
    void aLargeObjectGetsItsFileFromItsChunksAfterItsFirstHit() throws Exception {
        HotFiles files = files(10 << 20, 0);
        CachedObject object = object("abc.mp4", "\"v1\"", 5 * CHUNK + 123);
        byte[] bytes = store(object, 1);

        assertThat(files.find(object))
                .as("written in the background: the chunks answer meanwhile")
                .isNull();
        settle();
        ByteBuffer body = files.find(object);

        assertThat(body).isNotNull();
        assertThat(bytes(body)).isEqualTo(bytes);
        assertThat(bytes(files.find(object)))
                .as("each answer its own view of the mapping")
                .isEqualTo(bytes);
        assertThat(files.used()).isEqualTo(object.size());
        try (var list = Files.list(folder)) {
            assertThat(list.map(p -> p.getFileName().toString()))
                    .singleElement()
                    .asString()
                    .startsWith("abc.mp4.");
        }
    }

    @Test
    void anotherVersionOfANameNeverGetsTheOldBytes() throws Exception {
        HotFiles files = files(10 << 20, 0);
        CachedObject first = object("abc.mp4", "\"v1\"", 3 * CHUNK);
        store(first, 1);
        files.find(first);
        settle();
        CachedObject second = object("abc.mp4", "\"v2\"", 3 * CHUNK);
        byte[] secondBytes = store(second, 2);

        assertThat(files.find(second)).isNull();
        settle();

        assertThat(bytes(files.find(second))).isEqualTo(secondBytes);
        assertThat(files.count()).isEqualTo(2);
    }

    @Test
    void aDiskWithoutRoomGetsNoCopyUntilSpaceComesBack() throws Exception {
        HotFiles files = files(10 << 20, 0);
        CachedObject object = object("abc.mp4", "\"v1\"", 5 * CHUNK);
        store(object, 1);
        free = 5 * CHUNK - 1;

        assertThat(files.find(object)).isNull();
        settle();
        assertThat(files.find(object)).as("no room: the chunks answer").isNull();
        settle();
        try (var left = Files.list(folder)) {
            assertThat(left).as("not even a part file").isEmpty();
        }
        assertThat(files.used()).isZero();

        free = 5 * CHUNK;
        CachedObject other = object("def.mp4", "\"v1\"", 5 * CHUNK);
        byte[] otherBytes = store(other, 2);
        files.find(other);
        settle();
        ByteBuffer body = files.find(other);
        assertThat(body).as("written once the disk has room").isNotNull();
        assertThat(bytes(body)).isEqualTo(otherBytes);
        assertThat(files.find(object))
                .as("a refused copy is tried again after the retry pause, like a failed one")
                .isNull();
    }

    @Test
    void anObjectWhoseChunksAreNotAllStoredGetsNoFileAndLeavesNothing() throws Exception {
        HotFiles files = files(10 << 20, 0);
        CachedObject object = object("abc.mp4", "\"v1\"", 4 * CHUNK);
        store(object, 1);
        stored.remove(object.chunkKey(2));

        files.find(object);
        settle();

        assertThat(files.find(object)).isNull();
        settle();
        assertThat(files.count()).isZero();
        assertThat(files.used()).isZero();
        try (var list = Files.list(folder)) {
            assertThat(list).as("no partial file").isEmpty();
        }
    }

    @Test
    void smallObjectsAndObjectsPastTheBudgetGetNone() throws Exception {
        HotFiles files = files(4 * CHUNK, 0);
        CachedObject small = object("small.png", "\"v1\"", MIN);
        CachedObject large = object("large.mp4", "\"v1\"", 5 * CHUNK);
        store(small, 1);
        store(large, 2);

        files.find(small);
        files.find(large);
        settle();

        assertThat(files.find(small)).isNull();
        assertThat(files.find(large)).isNull();
        assertThat(files.count()).isZero();
        assertThat(files(0, 0).find(large)).as("budget 0: off").isNull();
    }

    @Test
    void theLeastRecentlyUsedGoWhenTheBudgetIsFull() throws Exception {
        HotFiles files = files(5 * CHUNK, 0);
        CachedObject a = object("a.mp4", "\"v\"", 2 * CHUNK);
        CachedObject b = object("b.mp4", "\"v\"", 2 * CHUNK);
        CachedObject c = object("c.mp4", "\"v\"", 2 * CHUNK);
        store(a, 1);
        store(b, 2);
        byte[] cBytes = store(c, 3);
        files.find(a);
        settle();
        files.find(b);
        settle();
        Thread.sleep(5);
        files.find(a); // a used last: b goes

        files.find(c);
        settle();

        assertThat(bytes(files.find(c))).isEqualTo(cBytes);
        assertThat(files.find(a)).isNotNull();
        assertThat(files.used()).isEqualTo(4 * CHUNK);
        // last: a miss asks for b's file in the background, and writing it would evict c (used before a)
        assertThat(files.find(b)).isNull();
    }

    @Test
    void filesHandedOutWithinTheGraceAreNotEvicted() throws Exception {
        HotFiles files = files(3 * CHUNK, 60_000);
        CachedObject a = object("a.mp4", "\"v\"", 2 * CHUNK);
        CachedObject b = object("b.mp4", "\"v\"", 2 * CHUNK);
        store(a, 1);
        store(b, 2);
        files.find(a);
        settle();

        files.find(b);
        settle();

        assertThat(files.find(a)).as("still in use").isNotNull();
        assertThat(files.find(b)).as("no room for now").isNull();
    }

    @Test
    void aPurgedNameIsUnreachableAtOnceAndItsFileGoesAfterTheGrace() throws Exception {
        HotFiles files = files(10 << 20, 300);
        CachedObject object = object("abc.mp4", "\"v1\"", 3 * CHUNK);
        byte[] bytes = store(object, 1);
        files.find(object);
        settle();
        ByteBuffer underWay = files.find(object);

        files.forget("abc.mp4");

        assertThat(files.count()).isZero();
        try (var list = Files.list(folder)) {
            assertThat(list).as("kept through the grace").hasSize(1);
        }
        Thread.sleep(500);
        settle();
        try (var list = Files.list(folder)) {
            assertThat(list).as("deleted after it").isEmpty();
        }
        assertThat(files.used()).isZero();
        assertThat(bytes(underWay))
                .as("an answer under way finishes from its mapping")
                .isEqualTo(bytes);
    }

    @Test
    void aFileWrittenWhileItsNameIsPurgedIsNotKept() throws Exception {
        HotFiles files = files(10 << 20, 0);
        CachedObject object = object("abc.mp4", "\"v1\"", 3 * CHUNK);
        store(object, 1);
        // the purge comes while the write waits behind a slow task
        writer.submit(() -> sleep(100));
        files.find(object);
        Thread.sleep(20);
        files.forget("abc.mp4");
        settle();

        assertThat(files.count()).as("purged after it was asked for").isZero();
        try (var list = Files.list(folder)) {
            assertThat(list).isEmpty();
        }
    }

    @Test
    void theFolderIsEmptiedAtStart() throws Exception {
        Files.writeString(folder.resolve("old.mp4.7"), "left by an earlier run");
        Files.writeString(folder.resolve("old.mp4.8.part"), "half");

        files(10 << 20, 0);

        try (var list = Files.list(folder)) {
            assertThat(list).isEmpty();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
