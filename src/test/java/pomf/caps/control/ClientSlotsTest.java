package pomf.caps.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClientSlotsTest {

    @Test
    void aClientGetsItsCapAndTheNextOneOnlyAfterOneIsGivenBack() {
        ClientSlots slots = new ClientSlots(3);
        for (int i = 0; i < 3; i++) {
            assertThat(slots.take("198.51.100.1")).isTrue();
        }
        assertThat(slots.take("198.51.100.1")).isFalse();
        assertThat(slots.held("198.51.100.1")).isEqualTo(3);
        assertThat(slots.take("198.51.100.2")).as("another client").isTrue();
        slots.giveBack("198.51.100.1");
        assertThat(slots.take("198.51.100.1")).isTrue();
        assertThat(slots.take("198.51.100.1")).isFalse();
    }

    @Test
    void aClientWithNothingInFlightIsForgotten() {
        ClientSlots slots = new ClientSlots(2);
        slots.take("a");
        slots.take("a");
        slots.take("b");
        assertThat(slots.clients()).isEqualTo(2);
        slots.giveBack("a");
        slots.giveBack("b");
        assertThat(slots.clients()).isEqualTo(1);
        slots.giveBack("a");
        assertThat(slots.clients()).isZero();
        assertThat(slots.held("a")).isZero();
    }

    @Test
    void noCapCountsNothing() {
        ClientSlots slots = new ClientSlots(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(slots.take("a")).isTrue();
        }
        assertThat(slots.clients()).isZero();
        slots.giveBack("a");
        assertThat(slots.held("a")).isZero();
    }

    /**
     * Many threads taking and giving back slots of few clients at once (a counter falling to zero while another
     * request of its client arrives is the race that matters): the cap is never exceeded, and every count returns
     * to zero with every client forgotten.
     */
    @Test
    void concurrentTakesNeverExceedTheCapAndAllCountsReturnToZero() throws Exception {
        int cap = 3;
        ClientSlots slots = new ClientSlots(cap);
        String[] clients = {"a", "b", "c"};
        AtomicInteger[] inFlight = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        AtomicInteger worst = new AtomicInteger();
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 200_000; i++) {
                    int c = (i + seed) % clients.length;
                    if (slots.take(clients[c])) {
                        taken.incrementAndGet();
                        worst.accumulateAndGet(inFlight[c].incrementAndGet(), Math::max);
                        inFlight[c].decrementAndGet();
                        slots.giveBack(clients[c]);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(taken.get()).isPositive();
        assertThat(worst.get()).isLessThanOrEqualTo(cap);
        assertThat(slots.clients()).isZero();
        for (String client : clients) {
            assertThat(slots.held(client)).isZero();
        }
    }
}
