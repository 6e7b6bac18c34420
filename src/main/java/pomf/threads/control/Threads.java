package pomf.threads.control;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's threads. Pools take theirs from the container's {@code ManagedThreadFactory} through
 * {@link #named}, so they carry the application's context and the container knows them. Only the stop sequence
 * makes threads by hand ({@link #atShutdown}, {@link #stopping}): Payara Micro runs no {@code @PreDestroy} on
 * SIGTERM, and by then the container's factory may refuse new threads. {@code DependencyRulesTest} holds every other
 * class to this.
 */
public final class Threads {
    private Threads() {}

    /** Daemon threads from {@code base} (the container's factory), named {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory named(ThreadFactory base, String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = base.newThread(task);
            thread.setName(prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs {@code task} when the JVM stops (SIGTERM, System.exit): what must happen even without the container. */
    public static void atShutdown(String name, Runnable task) {
        Runtime.getRuntime().addShutdownHook(new Thread(task, name));
    }

    /** Starts {@code task} on a thread of its own during the stop sequence (the SIGTERM drain, the exit after it). */
    public static Thread stopping(String name, boolean daemon, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(daemon);
        thread.start();
        return thread;
    }
}
