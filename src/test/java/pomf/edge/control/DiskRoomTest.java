package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskRoomTest {
    long free = 1000;
    long now = 0;
    final AtomicInteger reads = new AtomicInteger();

    DiskRoom room(long minFree) {
        return new DiskRoom(
                "test",
                minFree,
                () -> {
                    reads.incrementAndGet();
                    return free;
                },
                () -> now);
    }

    @Test
    void underTheFloorItRefusesAndItTakesAgainWhenSpaceComesBack() {
        DiskRoom room = room(500);
        assertThat(room.roomy()).isTrue();

        free = 499;
        now += DiskRoom.RECHECK_MILLIS;
        assertThat(room.roomy()).isFalse();

        free = 500;
        now += DiskRoom.RECHECK_MILLIS;
        assertThat(room.roomy()).isTrue();
    }

    @Test
    void theFreeSpaceIsReadAtMostOncePerRecheck() {
        DiskRoom room = room(500);
        for (int i = 0; i < 100; i++) {
            room.roomy();
        }
        assertThat(reads).hasValue(1);

        free = 10;
        now += DiskRoom.RECHECK_MILLIS - 1;
        assertThat(room.roomy()).as("not read again yet").isTrue();
        now += 1;
        assertThat(room.roomy()).isFalse();
        assertThat(reads).hasValue(2);
    }

    @Test
    void roomForAWriteCountsTheWriteAndReadsNow() {
        DiskRoom room = room(500);
        assertThat(room.roomFor(500)).isTrue();
        assertThat(room.roomFor(501)).isFalse();
        free = 2000;
        assertThat(room.roomFor(1500)).as("no recheck pause for large writes").isTrue();
    }

    @Test
    void aZeroFloorNeverRefusesAndNeverReads(@TempDir Path folder) {
        DiskRoom room = DiskRoom.of(folder, 0);
        assertThat(room.roomy()).isTrue();
        assertThat(room.roomFor(Long.MAX_VALUE / 2)).isTrue();
    }

    @Test
    void aRealDiskIsRead(@TempDir Path folder) {
        assertThat(DiskRoom.of(folder, 1).roomy())
                .as("the test disk has a byte free")
                .isTrue();
        assertThat(DiskRoom.of(folder, Long.MAX_VALUE / 2).roomy())
                .as("no disk has 4 EiB free")
                .isFalse();
    }
}
