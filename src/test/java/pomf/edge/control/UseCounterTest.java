package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * nginx's proxy_cache_min_uses as the edge counts it, and what a client inventing names can make it cost. Time is
 * passed in as milliseconds: nothing here sleeps.
 */
class UseCounterTest {
    static final long T = 1_700_000_000_000L;
    static final long WINDOW = 60_000;
    /** Far below what a map of the flood's names would take, far above a fixed structure sized for a million names. */
    static final long BUDGET = 16L << 20;

    @Test
    void minUsesTwoStoresOnTheSecondRequest() {
        UseCounter uses = new UseCounter(2, WINDOW);

        assertThat(uses.reached("abc.png", T)).isFalse();
        assertThat(uses.reached("abc.png", T + 1)).isTrue();
        assertThat(uses.reached("abc.png", T + 2)).isTrue();
        assertThat(uses.reached("other.png", T + 3)).isFalse();
    }

    @Test
    void minUsesThreeStoresOnTheThirdRequest() {
        UseCounter uses = new UseCounter(3, WINDOW);

        assertThat(uses.reached("abc.png", T)).isFalse();
        assertThat(uses.reached("abc.png", T + 1)).isFalse();
        assertThat(uses.reached("abc.png", T + 2)).isTrue();
    }

    @Test
    void minUsesOneStoresAtOnceAndKeepsNothing() {
        UseCounter uses = new UseCounter(1, WINDOW);

        assertThat(uses.reached("abc.png", T)).isTrue();
        assertThat(uses.retainedBytes()).isZero();
    }

    @Test
    void eachRequestRenewsTheWindow() {
        UseCounter uses = new UseCounter(5, WINDOW);
        long step = WINDOW - 1;

        // Five requests spread over four windows, none more than a window after the one before.
        for (int i = 0; i < 4; i++) {
            assertThat(uses.reached("abc.png", T + i * step))
                    .as("request %d", i + 1)
                    .isFalse();
        }
        assertThat(uses.reached("abc.png", T + 4 * step)).isTrue();
    }

    @Test
    void aCountLeftAloneForTwoWindowsStartsAgain() {
        UseCounter uses = new UseCounter(2, WINDOW);
        uses.reached("abc.png", T);

        assertThat(uses.reached("abc.png", T + 2 * WINDOW + 1)).isFalse();
        assertThat(uses.reached("abc.png", T + 2 * WINDOW + 2)).isTrue();
    }

    @Test
    void aForgottenNameStartsAgain() {
        UseCounter uses = new UseCounter(2, WINDOW);
        uses.reached("abc.png", T);
        uses.reached("abc.png", T + 1);

        uses.forget("abc.png");

        assertThat(uses.reached("abc.png", T + 2)).isFalse();
        assertThat(uses.reached("abc.png", T + 3)).isTrue();
    }

    @Test
    void concurrentRequestsAreEachCounted() throws Exception {
        UseCounter uses = new UseCounter(100, WINDOW);
        AtomicInteger early = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread thread = new Thread(() -> {
                await(start);
                for (int i = 0; i < 33; i++) {
                    if (uses.reached("abc.png", T)) {
                        early.incrementAndGet();
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

        assertThat(early)
                .as("requests that reached 100 uses among the first 99")
                .hasValue(0);
        assertThat(uses.reached("abc.png", T)).as("the 100th request").isTrue();
    }

    @Test
    void aNameAskedOnceIsRarelyTakenForOneAskedTwice() {
        UseCounter uses = new UseCounter(2, WINDOW);
        for (int i = 0; i < 100_000; i++) {
            uses.reached("seen" + i + ".png", T);
        }

        int early = 0;
        for (int i = 0; i < 10_000; i++) {
            if (uses.reached("new" + i + ".png", T)) {
                early++;
            }
        }

        assertThat(early).as("new names stored on their first request").isLessThan(100);
    }

    @Test
    void aFloodOfNewNamesKeepsMemoryBoundedAndForgetsNoRealUse() {
        UseCounter uses = new UseCounter(2, WINDOW);
        uses.reached("wanted.mp4", T);
        Names names = new Names(200);

        for (int i = 1; i <= 2_000_000; i++) {
            uses.reached(names.next(), T + 1);
            if (i % 10_000 == 0) {
                long bytes = uses.retainedBytes();
                assertThat(bytes)
                        .as("bytes kept after %d names of 200 characters", i)
                        .isLessThanOrEqualTo(BUDGET);
            }
        }

        assertThat(uses.reached("wanted.mp4", T + 2))
                .as("the second request of a name asked before")
                .isTrue();
    }

    @Test
    void aCallCostsTheSameAfterTwoMillionNamesAsAtTheStart() {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        assumeThat(cpu.isCurrentThreadCpuTimeSupported()).isTrue();
        UseCounter uses = new UseCounter(2, WINDOW);
        Names names = new Names(40);
        int batch = 1_000;
        long[] costs = new long[2_000];
        String[] next = new String[batch];
        for (int b = 0; b < costs.length; b++) {
            for (int i = 0; i < batch; i++) {
                next[i] = names.next();
            }
            long before = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < batch; i++) {
                uses.reached(next[i], T);
            }
            costs[b] = cpu.getCurrentThreadCpuTime() - before;
            if (b >= 100) {
                // Stops at once when calls scan what earlier names left (else such a run takes hours).
                long first = median(costs, 0, 100);
                assertThat(costs[b])
                        .as(
                                "CPU ns of calls %d to %d (the first 100,000 took %d ns a thousand)",
                                b * batch, (b + 1) * batch, first)
                        .isLessThan(1000 * first);
            }
        }

        assertThat(median(costs, costs.length - 100, costs.length))
                .as("median CPU ns of a thousand calls among the last 100,000")
                .isLessThan(3 * median(costs, 0, 100));
    }

    static long median(long[] values, int from, int to) {
        long[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return part[part.length / 2];
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Distinct names of one length, as a client making them up would send (a random stem, then a number). */
    static final class Names {
        private final String stem;
        private int count;

        Names(int length) {
            char[] chars = new char[length - 8];
            Random random = new Random(length);
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) ('a' + random.nextInt(26));
            }
            stem = new String(chars);
        }

        String next() {
            String number = Integer.toString(count++, 36);
            return stem + "00000000".substring(number.length()) + number;
        }
    }
}
