package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.delivery.control.Piece;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;
import pomf.it.origin.TestOrigin;
import pomf.it.origin.TestOriginObject;

/**
 * The fill engine against a real HTTP origin the test controls and a real Ehcache store: one streaming fetch per
 * object however many read it, ranges only for seeks, several connections for a slow origin, streams that stop when
 * nobody wants more, and failures that reach the readers instead of wrong bytes.
 */
class FillerTest {
    static final int CHUNK = 64 * 1024;
    static final TestOrigin ORIGIN = TestOrigin.start();
    static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path folder;

    EdgeStore store;
    ThreadPoolExecutor streams;
    Filler filler;
    EdgeCounters counters;

    @BeforeEach
    void open() {
        store = new EdgeStore(folder.resolve("cache"), 256L << 20, 16);
        streams = new ThreadPoolExecutor(8, 8, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        counters = new EdgeCounters();
        filler = filler(4, 64);
    }

    Filler filler(int connections, int aheadChunks) {
        return new Filler(
                store,
                new OriginClient(ORIGIN.url(), 2000, 3000),
                new OriginBreaker(100),
                streams,
                counters,
                connections,
                aheadChunks);
    }

    @AfterEach
    void close() throws Exception {
        ORIGIN.clearFaults();
        streams.shutdownNow();
        streams.awaitTermination(10, TimeUnit.SECONDS);
        store.close();
    }

    @AfterAll
    static void stopOrigin() {
        ORIGIN.close();
    }

    static String newName() {
        return "fill" + NAMES.incrementAndGet() + "x.bin";
    }

    static TestOriginObject object(String name, int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        return ORIGIN.put("/f/" + name, bytes);
    }

    static CachedObject described(String name, TestOriginObject object) {
        long now = System.currentTimeMillis();
        return new CachedObject(name, object.etag(), "", object.size(), CHUNK, Map.of(), now, now + 60_000);
    }

    /** Reads [from, to] as an answer would, waiting for call-backs. */
    byte[] read(CachedObject object, long from, long to) throws IOException, InterruptedException {
        ChunkBody body = new ChunkBody(object, to, filler, counters);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Piece piece = new Piece();
        long position = from;
        try {
            while (position <= to) {
                LinkedBlockingQueue<Boolean> woken = new LinkedBlockingQueue<>();
                if (body.next(position, (int) Math.min(16 * 1024, to - position + 1), piece, () -> woken.add(true))) {
                    out.write(piece.array(), piece.offset(), piece.length());
                    position += piece.length();
                } else if (woken.poll(20, TimeUnit.SECONDS) == null) {
                    throw new IOException("no call-back within 20 s at " + position);
                }
            }
        } finally {
            body.close();
        }
        return out.toByteArray();
    }

    @Test
    void aNewObjectIsFetchedWithOneStreamingGetAndStoredChunkByChunk() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 20 * CHUNK + 123);
        CachedObject object = described(name, origin);
        filler = filler(1, 64); // on a busy machine the origin may look slow: no second connection here
        assertThat(read(object, 0, origin.size() - 1)).isEqualTo(origin.bytes());
        assertThat(ORIGIN.requests("/f/" + name))
                .as("%s", ORIGIN.rangeRequests("/f/" + name))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> filler.streaming() == 0);
        for (int i = 0; i < object.chunkCount(); i++) {
            assertThat(filler.stored(object, i)).as("chunk %d", i).isNotNull();
        }
        assertThat(read(object, 0, origin.size() - 1)).isEqualTo(origin.bytes());
        assertThat(ORIGIN.requests("/f/" + name)).isEqualTo(1);
    }

    @Test
    void aDiskUnderMinFreeStreamsTheRightBytesAndKeepsNoChunk() throws Exception {
        store.close();
        store = new EdgeStore(
                folder.resolve("tight"), 256L << 20, 16, f -> new DiskRoom(f.toString(), 1 << 20, () -> 1000, () -> 0));
        filler = filler(1, 64);
        String name = newName();
        TestOriginObject origin = object(name, 6 * CHUNK + 7);
        CachedObject object = described(name, origin);

        assertThat(store.writable()).isFalse();
        assertThat(read(object, 0, origin.size() - 1)).isEqualTo(origin.bytes());
        await().atMost(Duration.ofSeconds(5)).until(() -> filler.streaming() == 0);
        for (int i = 0; i < object.chunkCount(); i++) {
            assertThat(filler.stored(object, i)).as("chunk %d", i).isNull();
        }
        long first = ORIGIN.bytesSent("/f/" + name);
        // Only what is read is fetched: a chunk fetched ahead would be dropped unread (with fill-ahead, about four
        // times the object here). A chunk may come twice when its fill ends just before its reader takes it.
        assertThat(first)
                .as("chunks fetched ahead would be dropped unread: only what is read is fetched")
                .isLessThanOrEqualTo(origin.size() + 2L * CHUNK);
        assertThat(read(object, 5, 2 * CHUNK)).isEqualTo(origin.bytes(5, 2 * CHUNK - 4));
        assertThat(ORIGIN.bytesSent("/f/" + name) - first)
                .as("nothing kept: read again from the origin, chunk by chunk")
                .isBetween(2L * CHUNK, 4L * CHUNK);
    }

    @Test
    void manyReadersOfAnObjectBeingFilledShareOneFetch() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 16 * CHUNK).throttle(2_000_000);
        CachedObject object = described(name, origin);
        filler = filler(1, 64);
        ExecutorService readers = Executors.newFixedThreadPool(20);
        List<Future<byte[]>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(readers.submit(() -> read(object, 0, origin.size() - 1)));
        }
        for (Future<byte[]> answer : answers) {
            assertThat(answer.get(60, TimeUnit.SECONDS)).isEqualTo(origin.bytes());
        }
        readers.shutdown();
        assertThat(ORIGIN.requests("/f/" + name)).isEqualTo(1);
        assertThat(ORIGIN.bytesSent("/f/" + name)).isLessThan(origin.size() + CHUNK);
    }

    @Test
    void aSeekAheadOfTheStreamFetchesFromThereAndTheFirstStreamStopsWhereItBegins() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 32 * CHUNK).throttle(1_000_000);
        CachedObject object = described(name, origin);
        filler = filler(1, 64); // no splitting: only the seek may open a second connection
        ExecutorService readers = Executors.newFixedThreadPool(2);
        Future<byte[]> whole = readers.submit(() -> read(object, 0, origin.size() - 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> ORIGIN.requests("/f/" + name) == 1);
        long from = 24L * CHUNK + 5;
        Future<byte[]> seek = readers.submit(() -> read(object, from, from + CHUNK));
        assertThat(seek.get(60, TimeUnit.SECONDS)).isEqualTo(origin.bytes(from, CHUNK + 1));
        assertThat(whole.get(60, TimeUnit.SECONDS)).isEqualTo(origin.bytes());
        readers.shutdown();
        assertThat(ORIGIN.rangeRequests("/f/" + name))
                .hasSize(2)
                .contains("bytes=" + 24L * CHUNK + "-" + (origin.size() - 1));
        // every byte came from the origin about once: the first stream ended where the seek's began
        assertThat(ORIGIN.bytesSent("/f/" + name)).isLessThan(origin.size() + 2L * CHUNK);
    }

    @Test
    void aSlowOriginIsFetchedOnSeveralConnectionsAtOnce() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 40 * CHUNK).throttle(400_000);
        CachedObject object = described(name, origin);
        assertThat(read(object, 0, origin.size() - 1)).isEqualTo(origin.bytes());
        // Several connections (at most 4 at a time), each byte still fetched about once.
        assertThat(ORIGIN.requests("/f/" + name))
                .as("%s", ORIGIN.rangeRequests("/f/" + name))
                .isGreaterThan(1);
        assertThat(ORIGIN.fullFetches("/f/" + name)).isZero();
        assertThat(ORIGIN.bytesSent("/f/" + name)).isLessThan(origin.size() + 4L * CHUNK);
    }

    @Test
    void aStreamNobodyReadsAnyMoreStopsAfterFillAhead() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 100 * CHUNK).throttle(3_000_000);
        CachedObject object = described(name, origin);
        filler = filler(1, 4);
        assertThat(read(object, 0, 1000)).isEqualTo(origin.bytes(0, 1001));
        await().atMost(Duration.ofSeconds(15)).until(() -> filler.streaming() == 0);
        Thread.sleep(1500);
        assertThat(ORIGIN.bytesSent("/f/" + name)).isLessThan(8L * CHUNK);
        assertThat(filler.stored(object, 99)).isNull();
    }

    /**
     * Issue 14, finding 2: ranged requests at many offsets of a cold file, each hung up at once, must not leave
     * streams fetching on for nobody, even while someone else reads far ahead in the same file.
     */
    @Test
    void streamsOfReadersThatLeftStopEvenWhileAnotherReadsFurtherOn() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 300 * CHUNK).throttle(1_000_000);
        CachedObject object = described(name, origin);
        filler = filler(1, 64);
        Piece piece = new Piece();
        for (int start : new int[] {0, 60, 120, 180}) {
            ChunkBody gone = new ChunkBody(object, origin.size() - 1, filler, counters);
            gone.next((long) start * CHUNK, 16 * 1024, piece, () -> {});
            gone.close(); // the client hung up before its first byte
        }
        // A viewer far on reads two chunks while the others are gone.
        assertThat(read(object, 240L * CHUNK, 242L * CHUNK - 1)).isEqualTo(origin.bytes(240L * CHUNK, 2 * CHUNK));
        await().atMost(Duration.ofSeconds(10)).until(() -> filler.streaming() == 0);
        assertThat(ORIGIN.bytesSent("/f/" + name))
                .as("what was fetched for nobody: %s", ORIGIN.rangeRequests("/f/" + name))
                .isLessThan(40L * CHUNK);
    }

    /**
     * The abuse run's shape (issue 14, finding 2): many ranged requests, eight chunks apart, hung up before their
     * first byte is written (a client that left is noticed only when a write to it fails). They cost the origin
     * about the chunks they asked for, not the file between them.
     */
    @Test
    void manyRangedRequestsHungUpBeforeTheirFirstByteFetchAboutWhatTheyAskedFor() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 256 * CHUNK);
        CachedObject object = described(name, origin);
        filler = filler(4, 64);
        List<ChunkBody> hungUp = new ArrayList<>();
        Piece piece = new Piece();
        for (int start = 0; start < 256; start += 8) {
            ChunkBody body = new ChunkBody(object, origin.size() - 1, filler, counters);
            body.next((long) start * CHUNK + 100, 16 * 1024, piece, () -> {});
            hungUp.add(body);
        }
        // Their chunks arrive; only then would a write fail and their answers end.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            for (int start = 0; start < 256; start += 8) {
                if (filler.stored(object, start) == null) {
                    return false;
                }
            }
            return true;
        });
        hungUp.forEach(ChunkBody::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> filler.streaming() == 0);
        // A reader that took nothing has not earned a window ahead: its stream brings its own chunk, not the next two.
        assertThat(counters.bytesFromOrigin())
                .as("32 chunks asked for, of 256 (read from the origin; what it sent beyond is a receive window)")
                .isLessThan(32L * 3 / 2 * CHUNK);
    }

    /**
     * The chunks a new object's describing GET asked for come anyway, for its own stream only: the abuse run's first
     * request fell far into the file, and its floor made every hung-up reader's stream before it run to its end.
     */
    @Test
    void theDescribingGetsChunksCountForItsOwnStreamOnly() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 256 * CHUNK);
        CachedObject object = described(name, origin);
        filler = filler(4, 64);
        OriginClient.Response describing = new OriginClient(ORIGIN.url(), 2000, 3000)
                .get(name, "GET", Map.of("Range", "bytes=" + 200L * CHUNK + "-" + (208L * CHUNK - 1)));
        filler.adopt(object, 200, 208, describing);
        List<ChunkBody> hungUp = new ArrayList<>();
        Piece piece = new Piece();
        for (int start = 0; start < 200; start += 40) {
            ChunkBody body = new ChunkBody(object, origin.size() - 1, filler, counters);
            body.next((long) start * CHUNK, 16 * 1024, piece, () -> {});
            hungUp.add(body);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> filler.stored(object, 160) != null);
        hungUp.forEach(ChunkBody::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> filler.streaming() == 0);
        assertThat(filler.stored(object, 207)).as("the describing GET's chunks").isNotNull();
        // 8 chunks described and 5 readers' two each (23 with a chunk begun past each) on a quiet machine; a suite
        // run on a busy 2-core machine once saw 40, so the bound is 64: still a third of the 208 chunks from 0 to the
        // described ones that the old floor made every hung-up reader's stream fetch.
        assertThat(counters.bytesFromOrigin())
                .as("8 chunks described and 5 readers' two each, of 256")
                .isLessThan(64L * CHUNK);
    }

    @Test
    void anOriginThatCutsMidChunkFailsItsReadersAndLeavesNoWrongChunk() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 10 * CHUNK);
        CachedObject object = described(name, origin);
        origin.dropAfter(2L * CHUNK + CHUNK / 2);
        assertThatThrownBy(() -> read(object, 0, origin.size() - 1)).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> filler.streaming() == 0);
        // Chunk 2, where the cut fell, may still be stored whole by another GET (the describing one, whose request
        // came before the fault, or a later one that starts at chunk 2): what must never be stored is a wrong one.
        for (int i = 0; i < object.chunkCount(); i++) {
            Chunk stored = store.chunk(object.chunkKey(i));
            if (stored != null) {
                assertThat(Arrays.copyOf(stored.bytes(), stored.length()))
                        .as("stored chunk %d", i)
                        .isEqualTo(origin.bytes(object.chunkStart(i), object.chunkLength(i)));
            }
        }
        origin.clearFaults();
        assertThat(read(object, 0, origin.size() - 1)).isEqualTo(origin.bytes());
    }

    @Test
    void aPurgeCutsTheReadersOfAFill() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 20 * CHUNK).throttle(200_000);
        CachedObject object = described(name, origin);
        ExecutorService readers = Executors.newSingleThreadExecutor();
        Future<byte[]> reading = readers.submit(() -> read(object, 0, origin.size() - 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> filler.running() > 0);
        filler.cancel(name);
        assertThatThrownBy(() -> reading.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        readers.shutdown();
    }

    @Test
    void anotherVersionAtTheOriginIsNeverMixedIntoAFill() throws Exception {
        String name = newName();
        TestOriginObject origin = object(name, 12 * CHUNK);
        CachedObject object = described(name, origin);
        assertThat(read(object, 0, CHUNK - 1)).isEqualTo(origin.bytes(0, CHUNK));
        await().atMost(Duration.ofSeconds(10)).until(() -> filler.streaming() == 0);
        store.removeChunks(object); // evicted; meanwhile the file changed at the origin
        object(name, 12 * CHUNK + 1);
        assertThatThrownBy(() -> read(object, 0, object.size() - 1)).isInstanceOf(IOException.class);
        assertThat(filler.stored(object, 3)).isNull();
    }
}
