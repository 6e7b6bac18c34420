package pomf.traffic.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchTest {
    private static List<MinuteRow> minutes(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new MinuteRow("edge", 60L * i, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0))
                .toList();
    }

    private static List<FileHourRow> files(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> new FileHourRow("f" + i + ".png", 3600L * i, 1, 100))
                .toList();
    }

    @Test
    void noRowsMakeNoBatch() {
        assertThat(Batch.of("node-1", List.of(), List.of())).isEmpty();
    }

    @Test
    void rowsWithinTheLimitsMakeOneBatch() {
        List<Batch> batches = Batch.of("node-1", minutes(Batch.MAX_MINUTES), files(Batch.MAX_FILES));

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).node()).isEqualTo("node-1");
        assertThat(batches.get(0).minutes()).isEqualTo(minutes(Batch.MAX_MINUTES));
        assertThat(batches.get(0).files()).isEqualTo(files(Batch.MAX_FILES));
    }

    @Test
    void minutesAndFilesAreCutTogetherAndEveryRowGoesOnceInOrder() {
        List<MinuteRow> minutes = minutes(2 * Batch.MAX_MINUTES + 1);
        List<FileHourRow> files = files(3);

        List<Batch> batches = Batch.of("node-1", minutes, files);

        assertThat(batches).extracting(b -> b.minutes().size()).containsExactly(5_000, 5_000, 1);
        assertThat(batches).extracting(b -> b.files().size()).containsExactly(3, 0, 0);
        assertThat(batches.stream().flatMap(b -> b.minutes().stream()).toList()).isEqualTo(minutes);
        assertThat(batches).allSatisfy(b -> assertThat(b.empty()).isFalse());
    }

    @Test
    void eachBatchHasAnIdOfItsOwn() {
        List<Batch> batches = Batch.of("node-1", minutes(1), files(3 * Batch.MAX_FILES));

        assertThat(batches).hasSize(3);
        assertThat(batches.stream().map(Batch::id).distinct()).hasSize(3);
        assertThat(batches).extracting(b -> b.files().size()).containsExactly(20_000, 20_000, 20_000);
        assertThat(batches).extracting(b -> b.minutes().size()).containsExactly(1, 0, 0);
    }

    @Test
    void aBatchKeepsItsOwnCopyOfTheRows() {
        List<MinuteRow> rows = new ArrayList<>(minutes(2));
        Batch batch = new Batch("node-1", UUID.randomUUID(), rows, List.of());

        rows.clear();

        assertThat(batch.minutes()).hasSize(2);
        assertThatThrownBy(() -> batch.minutes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new Batch("n", UUID.randomUUID(), List.of(), List.of()).empty())
                .isTrue();
    }

    @Test
    void aMinuteRowsCountsAreInColumnOrderAndReadBack() {
        MinuteRow row = new MinuteRow("origin", 1_788_000_000L, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

        assertThat(row.counts()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(MinuteRow.of("origin", 1_788_000_000L, row.counts())).isEqualTo(row);
        assertThat(row.bytesFromOrigin()).isEqualTo(11);
        // The array is a copy: changing it changes no row.
        long[] counts = row.counts();
        Arrays.fill(counts, 0);
        assertThat(row.requests()).isEqualTo(1);
        assertThatThrownBy(() -> MinuteRow.of("origin", 0, new long[10]))
                .isInstanceOf(ArrayIndexOutOfBoundsException.class);
    }
}
