package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FillTest {

    @Test
    void aWaitingReaderIsCalledWhenEnoughMoreArrivedNotForEveryPacket() {
        Fill fill = new Fill(200_000);
        AtomicInteger woken = new AtomicInteger();
        assertThat(fill.await(0, woken::incrementAndGet)).isTrue();
        fill.append(new byte[1000], 0, 1000);
        assertThat(woken).hasValue(0);
        fill.append(new byte[Fill.WAKE_STEP], 0, Fill.WAKE_STEP);
        assertThat(woken).hasValue(1);
        fill.append(new byte[Fill.WAKE_STEP], 0, Fill.WAKE_STEP);
        assertThat(woken).as("a call-back runs once").hasValue(1);
    }

    @Test
    void theEndOfTheChunkOrOfTheFillWakesEveryReader() {
        Fill fill = new Fill(10);
        AtomicInteger woken = new AtomicInteger();
        fill.await(0, woken::incrementAndGet);
        fill.append(new byte[10], 0, 10);
        assertThat(woken).hasValue(1);
        Fill failing = new Fill(100_000);
        failing.await(0, woken::incrementAndGet);
        failing.await(50, woken::incrementAndGet);
        failing.fail(new IOException("cut"));
        assertThat(woken).hasValue(3);
        assertThat(failing.failure()).hasMessage("cut");
        assertThat(failing.await(60, woken::incrementAndGet))
                .as("ended: read again now")
                .isFalse();
    }

    @Test
    void aReaderBehindTheBytesIsNotRegistered() {
        Fill fill = new Fill(100);
        fill.append(new byte[50], 0, 50);
        assertThat(fill.await(10, () -> {})).isFalse();
        assertThat(fill.await(50, () -> {})).isTrue();
    }
}
