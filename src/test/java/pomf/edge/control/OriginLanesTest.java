package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class OriginLanesTest {
    private final List<CompletableFuture<String>> heads = new ArrayList<>();
    private final List<String> started = new ArrayList<>();

    /** A request whose head comes when the test completes it. */
    private CompletableFuture<String> request(OriginLanes lanes, String name) {
        return lanes.send(() -> {
            synchronized (this) {
                started.add(name);
                CompletableFuture<String> head = new CompletableFuture<>();
                heads.add(head);
                return head;
            }
        });
    }

    @Test
    void atMostTheLanesWaitForAHeadAndTheRestFollowInOrder() throws Exception {
        OriginLanes lanes = new OriginLanes(2, 60_000, Runnable::run);
        CompletableFuture<String> a = request(lanes, "a");
        CompletableFuture<String> b = request(lanes, "b");
        CompletableFuture<String> c = request(lanes, "c");
        CompletableFuture<String> d = request(lanes, "d");
        assertThat(started).containsExactly("a", "b");
        assertThat(lanes.busy()).isEqualTo(2);
        assertThat(lanes.waiting()).isEqualTo(2);

        heads.get(1).complete("head b");
        assertThat(b.get()).isEqualTo("head b");
        assertThat(started).containsExactly("a", "b", "c");
        heads.get(0).completeExceptionally(new java.io.IOException("refused"));
        assertThat(a).isCompletedExceptionally();
        assertThat(started).containsExactly("a", "b", "c", "d");
        heads.get(2).complete("head c");
        heads.get(3).complete("head d");
        assertThat(c.get()).isEqualTo("head c");
        assertThat(d.get()).isEqualTo("head d");
        assertThat(lanes.busy()).isZero();
        assertThat(lanes.waiting()).isZero();
    }

    @Test
    void aRequestThatWaitedTooLongFailsAsBusyAndNeverStarts() throws Exception {
        OriginLanes lanes = new OriginLanes(1, 50, Runnable::run);
        request(lanes, "a");
        CompletableFuture<String> late = request(lanes, "late");
        lanes.expire(System.nanoTime()); // not yet too long
        assertThat(late).isNotDone();
        Thread.sleep(80);
        CompletableFuture<String> fresh = request(lanes, "fresh");
        lanes.expire(System.nanoTime());
        assertThatThrownBy(late::get)
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(OriginLanes.busy(e.getCause())).isTrue());
        assertThat(fresh).isNotDone();
        heads.get(0).complete("head a");
        assertThat(started).containsExactly("a", "fresh");
        assertThat(OriginLanes.busy(new java.io.IOException("other"))).isFalse();
    }

    @Test
    void aBlockingRequestWaitsForItsLaneWithoutExpiring() throws Exception {
        OriginLanes lanes = new OriginLanes(1, 10, Runnable::run);
        request(lanes, "async");
        CountDownLatch acquired = new CountDownLatch(1);
        Thread filler = new Thread(() -> {
            try {
                lanes.acquire();
                acquired.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        filler.start();
        while (lanes.waiting() == 0) {
            Thread.onSpinWait();
        }
        Thread.sleep(30);
        lanes.expire(System.nanoTime());
        assertThat(lanes.waiting()).isEqualTo(1);
        heads.get(0).complete("head");
        assertThat(acquired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(lanes.busy()).isEqualTo(1);
        lanes.release();
        assertThat(lanes.busy()).isZero();
        filler.join();
    }

    @Test
    void anInterruptedWaitGivesNothingAway() throws Exception {
        OriginLanes lanes = new OriginLanes(1, 60_000, Runnable::run);
        lanes.acquire();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                lanes.acquire();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        waiter.start();
        while (lanes.waiting() == 0) {
            Thread.onSpinWait();
        }
        waiter.interrupt();
        waiter.join(5000);
        assertThat(interrupted).isTrue();
        assertThat(lanes.waiting()).isZero();
        lanes.release();
        assertThat(lanes.busy()).isZero();
        // and the lane is there for the next one at once
        CompletableFuture<String> next = request(lanes, "next");
        assertThat(started).containsExactly("next");
        heads.get(0).complete("head");
        assertThat(next.get()).isEqualTo("head");
    }
}
