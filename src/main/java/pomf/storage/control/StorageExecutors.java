package pomf.storage.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.threads.control.Threads;

/**
 * The storage's threads, all made by the container's managed thread factory (so they carry the application's
 * context and stop with it): hashing chunks, early write-back, and a bounded pool for the steps that wait on the
 * disk or the database (fsync, publication), so that no request callback ever waits for them.
 */
@ApplicationScoped
public class StorageExecutors {

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "pomf.storage.io-threads", defaultValue = "8")
    int ioThreads;

    private ExecutorService hashing;
    private ExecutorService flushing;
    private ExecutorService blocking;
    private ScheduledExecutorService timer;

    @PostConstruct
    void start() {
        hashing = Executors.newFixedThreadPool(
                Math.max(2, Runtime.getRuntime().availableProcessors()), named("pomf-hash"));
        flushing = Executors.newCachedThreadPool(named("pomf-flush"));
        blocking = Executors.newFixedThreadPool(Math.max(1, ioThreads), named("pomf-io"));
        timer = Executors.newSingleThreadScheduledExecutor(named("pomf-storage-timer"));
    }

    public ExecutorService hashing() {
        return hashing;
    }

    public ExecutorService flushing() {
        return flushing;
    }

    /** For work that waits on the disk or the database; tasks queue when every thread is busy. */
    public ExecutorService blocking() {
        return blocking;
    }

    /** For short checks on a schedule (answers from the bucket that stopped getting bytes); never blocks. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        hashing.shutdown();
        flushing.shutdown();
        blocking.shutdown();
    }

    private ThreadFactory named(String prefix) {
        return Threads.named(threads, prefix);
    }
}
