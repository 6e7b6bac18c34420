package pomf.edge.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachedObjectTest {
    private static final int CHUNK = 1_047_552; // 1 MiB - 1 KiB, the edge's chunk size

    private static CachedObject sized(long size, int chunkSize) {
        return new CachedObject("a.mp4", "\"v1\"", "Sun, 01 Nov 2026 10:00:00 GMT", size, chunkSize, Map.of(), 0, 0);
    }

    @Test
    void chunksCoverTheBodyExactlyAndOnlyTheLastIsShort() {
        CachedObject object = sized(2L * CHUNK + 5, CHUNK);

        assertThat(object.chunkCount()).isEqualTo(3);
        assertThat(object.chunkStart(0)).isZero();
        assertThat(object.chunkStart(2)).isEqualTo(2L * CHUNK);
        assertThat(object.chunkLength(0)).isEqualTo(CHUNK);
        assertThat(object.chunkLength(1)).isEqualTo(CHUNK);
        assertThat(object.chunkLength(2)).isEqualTo(5);
    }

    @Test
    void chunkCountsAtTheEdges() {
        assertThat(sized(0, CHUNK).chunkCount()).isZero();
        assertThat(sized(1, CHUNK).chunkCount()).isEqualTo(1);
        assertThat(sized(CHUNK, CHUNK).chunkCount()).isEqualTo(1);
        assertThat(sized(CHUNK, CHUNK).chunkLength(0)).isEqualTo(CHUNK);
        assertThat(sized(CHUNK + 1L, CHUNK).chunkCount()).isEqualTo(2);
        // The start of a chunk far into a large file does not overflow an int.
        assertThat(sized(5L << 30, CHUNK).chunkStart(5_000)).isEqualTo(5_000L * CHUNK);
    }

    @Test
    void chunkKeysTellVersionsApart() {
        CachedObject v1 = sized(10, CHUNK);
        CachedObject v2 = new CachedObject("a.mp4", "\"v2\"", "", 10, CHUNK, Map.of(), 0, 0);

        assertThat(v1.chunkKey(0)).isEqualTo("a.mp4|\"v1\"|0");
        assertThat(v1.chunkKey(1)).isNotEqualTo(v1.chunkKey(0));
        assertThat(v2.chunkKey(0)).isNotEqualTo(v1.chunkKey(0));
    }

    @Test
    void freshUntilTheInstantItExpiresAndRenewedFromNow() {
        CachedObject object = new CachedObject("a.png", "\"e\"", "", 10, CHUNK, Map.of("A", "b"), 1_000, 61_000);

        assertThat(object.fresh(60_999)).isTrue();
        assertThat(object.fresh(61_000)).isFalse();

        CachedObject renewed = object.renewed(100_000, 60_000);
        assertThat(renewed.storedAtMillis()).isEqualTo(100_000);
        assertThat(renewed.freshUntilMillis()).isEqualTo(160_000);
        assertThat(renewed.fresh(159_999)).isTrue();
        // Only the times change: a 304 renews the same bytes.
        assertThat(renewed)
                .usingRecursiveComparison()
                .ignoringFields("storedAtMillis", "freshUntilMillis")
                .isEqualTo(object);
    }

    @Test
    void anObjectReadsBackAsWrittenWithItsHeadersInOrder() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "video/mp4");
        headers.put("Content-Disposition", "inline; filename*=UTF-8''%C3%A9t%C3%A9.mp4");
        headers.put("X-Note", "été \u8861");
        headers.put("Accept-Ranges", "bytes");
        CachedObject object = new CachedObject(
                "été.mp4", "\"sha-1\"", "Sun, 01 Nov 2026 10:00:00 GMT", 5L << 30, CHUNK, headers, 123, 456);

        CachedObject read = CachedObject.decode(object.encode());

        assertThat(read).isEqualTo(object);
        assertThat(List.copyOf(read.headers().keySet()))
                .containsExactly("Content-Type", "Content-Disposition", "X-Note", "Accept-Ranges");
    }

    @Test
    void anEmptyObjectReadsBack() {
        CachedObject empty = new CachedObject("e.txt", "", "", 0, CHUNK, Map.of(), 0, 0);
        assertThat(CachedObject.decode(empty.encode())).isEqualTo(empty);
    }

    @Test
    void aDescriptionOfAnotherFormatOrDamagedIsRefused() {
        byte[] sound = sized(10, CHUNK).encode();

        byte[] otherFormat = sound.clone();
        otherFormat[0] = 2;
        assertThatThrownBy(() -> CachedObject.decode(otherFormat))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("unknown cache entry format");

        byte[] longer = Arrays.copyOf(sound, sound.length + 1);
        assertThatThrownBy(() -> CachedObject.decode(longer)).hasMessageContaining("bytes after its end");

        byte[] cut = Arrays.copyOf(sound, sound.length - 1);
        assertThatThrownBy(() -> CachedObject.decode(cut))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(EOFException.class);

        assertThatThrownBy(() -> CachedObject.decode(new byte[0])).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void sizesThatNoAnswerCouldServeAreRefused() {
        assertThatThrownBy(() -> CachedObject.decode(sized(-1, CHUNK).encode()))
                .hasMessageContaining("damaged cache entry: size -1, chunk size " + CHUNK);
        assertThatThrownBy(() -> CachedObject.decode(sized(10, 0).encode())).hasMessageContaining("chunk size 0");
        assertThatThrownBy(() -> CachedObject.decode(sized(10, -4).encode())).hasMessageContaining("chunk size -4");
        // chunkCount() is an int: at most Integer.MAX_VALUE chunks.
        assertThat(CachedObject.decode(sized(Integer.MAX_VALUE, 1).encode()).chunkCount())
                .isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() ->
                        CachedObject.decode(sized(Integer.MAX_VALUE + 1L, 1).encode()))
                .hasMessageContaining("damaged cache entry");
    }
}
