package pomf.it.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The clients of the rehearsal: threads that resolve the edges' round-robin record from DNS like a client honouring
 * a short TTL, and download catalogue files through the edges with Zipf popularity, some with Range requests (on the
 * largest file, a series of seeks), checking every byte. {@link #phase} labels what follows, so the counts of each
 * fault stay apart. Always bounded: by the plan's duration and request count, and {@link #stop} ends it in seconds.
 */
public final class LoadClients implements AutoCloseable {
    private static final int SEEKS = 3;
    private static final long SEEK_BYTES = 1 << 20;

    private final LoadPlan plan;
    private final Catalogue catalogue;
    private final ZipfPicker zipf;
    private final EdgeResolver resolver;
    private final LoadReport report = new LoadReport();
    private final AtomicLong sequence = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final List<LoadFetch> fetches = new ArrayList<>();
    private volatile String phase = "start";
    private volatile int active;
    private volatile double focus;
    private volatile double rate;
    private long nextSlot;
    private volatile boolean running;
    private long startNanos;
    private volatile long endNanos;

    public LoadClients(LoadPlan plan, Catalogue catalogue) {
        this.plan = plan;
        this.catalogue = catalogue;
        this.zipf = new ZipfPicker(catalogue.files().size(), plan.exponent());
        this.resolver = new EdgeResolver(plan.host(), plan.dns(), plan.resolveEvery());
    }

    /** Starts the threads; returns at once. */
    public synchronized LoadClients start() {
        if (running || !threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        running = true;
        active = active == 0 ? plan.threads() : active;
        rate = rate == 0 ? plan.ratePerSecond() : rate;
        startNanos = System.nanoTime();
        endNanos = startNanos + plan.duration().toNanos();
        for (int i = 0; i < plan.threads(); i++) {
            LoadFetch fetch = new LoadFetch();
            int index = i;
            Thread thread = new Thread(() -> work(index, fetch), "load-client-" + i);
            thread.setDaemon(true);
            fetches.add(fetch);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Labels the requests that start from now on. */
    public void phase(String name) {
        phase = name;
    }

    /** How many of the plan's threads send requests (a ramp); the others wait. Callable before {@link #start}. */
    public void active(int threads) {
        active = Math.max(1, Math.min(plan.threads(), threads));
    }

    /**
     * The share (0..1) of requests that go to the largest file as a series of Range seeks, on top of Zipf's own
     * choice of it: a video that went viral.
     */
    public void focus(double share) {
        focus = Math.max(0, Math.min(1, share));
    }

    /** Requests per second from now on, over all threads (0: as fast as they can). */
    public void rate(double perSecond) {
        rate = Math.max(0, perSecond);
    }

    /**
     * When the next request may start: evenly spaced at the current rate, never in a burst to catch up on time lost
     * (a client that waited on a dead address does not then hammer the others).
     */
    private synchronized long slot() {
        long now = System.nanoTime();
        double perSecond = rate;
        if (perSecond <= 0) {
            return now;
        }
        long due = Math.max(now, nextSlot);
        nextSlot = due + (long) (1e9 / perSecond);
        return due;
    }

    public LoadReport report() {
        return report;
    }

    /** DNS lookups that failed (the last answer was kept). */
    public long resolveFailures() {
        return resolver.failures();
    }

    /** Waits until the plan's duration or request count ends the run, or the timeout passes; true when ended. */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /**
     * Ends the run gracefully: no request starts from now on, and those in flight complete and are counted (so the
     * clients' counts can be compared with the servers'). True when every thread ended within the timeout.
     */
    public boolean finish(Duration timeout) throws InterruptedException {
        endNanos = System.nanoTime();
        return await(timeout);
    }

    /** Ends every thread: requests in flight are cut off (and not counted); returns within a few seconds. */
    public synchronized void stop() {
        running = false;
        fetches.forEach(LoadFetch::abort);
        threads.forEach(Thread::interrupt);
        try {
            await(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void work(int index, LoadFetch fetch) {
        while (running && System.nanoTime() < endNanos) {
            if (index >= active) {
                LockSupport.parkNanos(20_000_000);
                continue;
            }
            long i = sequence.getAndIncrement();
            if (plan.maxRequests() > 0 && i >= plan.maxRequests()) {
                return;
            }
            long due = slot();
            while (running && System.nanoTime() < due) {
                LockSupport.parkNanos(due - System.nanoTime());
            }
            Random random = new Random(plan.seed() + i);
            // No draw without a focus: a plan's choices stay what its seed made them before spikes existed.
            boolean viral = focus > 0 && random.nextDouble() < focus;
            CatalogueFile file = viral ? catalogue.largest() : catalogue.files().get(zipf.pick(random));
            boolean range = file.size() > 1 && (viral || random.nextDouble() < plan.rangeShare());
            int requests = range && file.equals(catalogue.largest()) ? SEEKS : 1;
            for (int seek = 0; seek < requests && running; seek++) {
                long first = -1;
                long last = -1;
                if (range) {
                    first = (long) (random.nextDouble() * (file.size() - 1));
                    long longest = requests > 1 ? SEEK_BYTES : file.size() - first;
                    last = Math.min(file.size() - 1, first + (long) (random.nextDouble() * longest));
                }
                once(fetch, file, first, last);
            }
        }
    }

    private void once(LoadFetch fetch, CatalogueFile file, long first, long last) {
        String label = phase;
        long started = System.nanoTime();
        String address = resolver.next();
        if (address == null) {
            report.record(label, "(no address)", "connect_error", 0, System.nanoTime() - started, first >= 0);
            LockSupport.parkNanos(10_000_000); // an empty record answers at once: no busy loop on it
            return;
        }
        Path local = catalogue.localCopy().apply(file.name());
        LoadFetch.Result result = fetch.fetch(address, plan.port(), file, local, first, last);
        if (!running) {
            return; // cut off by stop(): its outcome says nothing about the edges
        }
        report.record(label, address, result.outcome(), result.bytes(), System.nanoTime() - started, first >= 0);
        if (result.cache() != null || result.outcome().equals("ok")) {
            report.cacheStatus(label, address, result.cache());
        }
        if (result.note() != null) {
            if (result.note().startsWith("200 to Range")) {
                report.rangeAnsweredWhole();
            }
            report.note(label + " " + address + " " + file.name() + ": " + result.outcome() + ", " + result.note());
        }
    }
}
