package pomf.threads.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThreadsTest {
    /** Stands for the container's ManagedThreadFactory: notes every thread it makes (not daemons, as Payara's). */
    private static final class Container implements ThreadFactory {
        final List<Thread> made = new ArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = Executors.defaultThreadFactory().newThread(task);
            made.add(thread);
            return thread;
        }
    }

    @Test
    void pooledThreadsAreTheContainersNamedAndDaemons() {
        Container container = new Container();
        ThreadFactory purges = Threads.named(container, "pomf-edge-purge");

        Thread first = purges.newThread(() -> {});
        Thread second = purges.newThread(() -> {});

        assertThat(container.made).containsExactly(first, second);
        assertThat(first.getName()).isEqualTo("pomf-edge-purge-1");
        assertThat(second.getName()).isEqualTo("pomf-edge-purge-2");
        assertThat(first.isDaemon()).isTrue();
        assertThat(second.isDaemon()).isTrue();
    }

    @Test
    void eachPoolCountsItsOwnThreads() {
        Container container = new Container();
        ThreadFactory a = Threads.named(container, "a");
        ThreadFactory b = Threads.named(container, "b");

        a.newThread(() -> {});
        a.newThread(() -> {});

        assertThat(b.newThread(() -> {}).getName()).isEqualTo("b-1");
        assertThat(a.newThread(() -> {}).getName()).isEqualTo("a-3");
    }

    @Test
    void aNamedThreadRunsItsTask() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        String[] name = new String[1];
        Thread thread = Threads.named(new Container(), "probe").newThread(() -> {
            name[0] = Thread.currentThread().getName();
            ran.countDown();
        });

        thread.start();

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        thread.join(10_000);
        assertThat(name[0]).isEqualTo("probe-1");
    }

    @Test
    void aStoppingThreadIsStartedAtOnceWithItsNameAndKind() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(2);
        List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable task = () -> {
            names.add(Thread.currentThread().getName());
            ran.countDown();
        };

        Thread drain = Threads.stopping("pomf-drain", false, task);
        Thread exit = Threads.stopping("pomf-exit", true, task);

        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        drain.join(10_000);
        exit.join(10_000);
        assertThat(names).containsExactlyInAnyOrder("pomf-drain", "pomf-exit");
        assertThat(drain.isDaemon()).isFalse();
        assertThat(exit.isDaemon()).isTrue();
    }
}
