package pomf.traffic.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import pomf.traffic.entity.Batch;
import pomf.traffic.entity.MinuteRow;

class TrafficFlushTest {
    static final long NOW = 1_750_000_000_000L;

    /** A sink that fails while told to, and keeps what it was given. */
    static final class Sink implements BatchSink {
        final List<Batch> written = new ArrayList<>();
        boolean failing;
        boolean rejecting;

        @Override
        public void write(Batch batch) throws Exception {
            if (failing) {
                throw new IOException("down");
            }
            if (rejecting) {
                throw new RejectedBatch("no");
            }
            written.add(batch);
        }

        long requests() {
            return written.stream()
                    .flatMap(b -> b.minutes().stream())
                    .mapToLong(MinuteRow::requests)
                    .sum();
        }
    }

    @Test
    void aFailedWriteKeepsTheBatchesAndTheNextFlushWritesThemOldestFirst() {
        Tally tally = new Tally();
        TrafficFlush flush = new TrafficFlush(tally, new PendingBatches(100), "n1");
        Sink sink = new Sink();
        sink.failing = true;
        for (int i = 0; i < 3; i++) {
            tally.answered("origin", NOW + i * 60_000L, 200, 1, null, null);
            assertThat(flush.run(sink, NOW + i * 60_000L, 0)).isEqualTo(i + 1);
        }
        assertThat(flush.pending().failedCount()).isEqualTo(3);
        sink.failing = false;
        assertThat(flush.run(sink, NOW + 180_000, 0)).isZero();
        assertThat(sink.written)
                .extracting(b -> b.minutes().get(0).minute())
                .isSorted()
                .hasSize(3);
        assertThat(sink.requests()).isEqualTo(3);
        assertThat(flush.pending().writtenCount()).isEqualTo(3);
        assertThat(sink.written).allMatch(b -> b.node().equals("n1"));
    }

    @Test
    void nothingToWriteMakesNoBatch() {
        Sink sink = new Sink();
        TrafficFlush flush = new TrafficFlush(new Tally(), new PendingBatches(10), "n1");
        assertThat(flush.run(sink, NOW, 0)).isZero();
        assertThat(sink.written).isEmpty();
    }

    @Test
    void aRefusedBatchIsDroppedNotRetried() {
        Tally tally = new Tally();
        TrafficFlush flush = new TrafficFlush(tally, new PendingBatches(10), "n1");
        Sink sink = new Sink();
        sink.rejecting = true;
        tally.answered("origin", NOW, 200, 1, null, null);
        assertThat(flush.run(sink, NOW, 0)).isZero();
        assertThat(flush.pending().droppedCount()).isEqualTo(1);
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsThem() {
        PendingBatches pending = new PendingBatches(3);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batches.add(new Batch("n", UUID.randomUUID(), List.of(), List.of()));
        }
        pending.add(batches);
        assertThat(pending.size()).isEqualTo(3);
        assertThat(pending.droppedCount()).isEqualTo(2);
        assertThat(pending.oldest()).contains(batches.get(2));
        pending.written(batches.get(2));
        assertThat(pending.oldest()).contains(batches.get(3));
        assertThat(pending.writtenCount()).isEqualTo(1);
    }
}
