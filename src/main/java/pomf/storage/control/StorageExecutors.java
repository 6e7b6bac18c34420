package pomf.storage.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for hashing chunks and for early write-back. Plain daemon pools: the work is short, CPU-bound and
 * needs no container context, and a request thread waits for it before it answers.
 */
@ApplicationScoped
public class StorageExecutors {
    private final ExecutorService hashing =
            Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), named("pomf-hash"));
    private final ExecutorService flushing = Executors.newCachedThreadPool(named("pomf-flush"));

    public ExecutorService hashing() {
        return hashing;
    }

    public ExecutorService flushing() {
        return flushing;
    }

    @PreDestroy
    void stop() {
        hashing.shutdown();
        flushing.shutdown();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
