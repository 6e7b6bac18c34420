package pomf.access.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cap on password hashes at once, counted by entries into the work: nothing here depends on timing. */
class HashingSlotsTest {
    private static final Duration FOREVER = Duration.ofMinutes(1);

    @Test
    void neverMoreAtOnceThanTheSlots() throws Exception {
        HashingSlots slots = new HashingSlots(3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<Future<Optional<Integer>>> done = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                done.add(threads.submit(() -> slots.within(FOREVER, () -> {
                    most.accumulateAndGet(running.incrementAndGet(), Math::max);
                    Thread.yield();
                    return running.decrementAndGet();
                })));
            }
            for (Future<Optional<Integer>> f : done) {
                assertThat(f.get(1, TimeUnit.MINUTES)).isPresent();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    void withEverySlotTakenACallerIsTurnedAwayUnrun() throws Exception {
        HashingSlots slots = new HashingSlots(1);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> slots.within(FOREVER, () -> {
            inside.countDown();
            return await(release);
        }));
        holder.start();
        inside.await();
        AtomicInteger ran = new AtomicInteger();

        assertThat(slots.within(Duration.ZERO, ran::incrementAndGet)).isEmpty();
        release.countDown();
        holder.join();

        assertThat(ran).hasValue(0);
        assertThat(slots.within(Duration.ZERO, ran::incrementAndGet)).contains(1);
    }

    @Test
    void aSlotIsGivenBackWhenTheWorkFails() {
        HashingSlots slots = new HashingSlots(1);

        assertThatThrownBy(() -> slots.within(FOREVER, () -> {
                    throw new IllegalStateException("wrong password");
                }))
                .hasMessage("wrong password");
        assertThat(slots.within(Duration.ZERO, () -> "next")).contains("next");
    }

    @Test
    void anInterruptedWaiterGivesUpAndKeepsItsInterrupt() {
        HashingSlots slots = new HashingSlots(1);
        Thread.currentThread().interrupt();
        try {
            assertThat(slots.within(FOREVER, () -> "ran")).isEmpty();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void atLeastOneSlot() {
        assertThatThrownBy(() -> new HashingSlots(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
