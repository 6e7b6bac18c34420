package pomf.delivery.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.threads.control.Threads;
import pomf.time.control.Durations;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM stops a node the way nginx quits gracefully: its ports close at once (new connections are refused, so
 * clients and the witness go to another node), a request that still arrives on a kept-alive connection is answered
 * 503 with {@code Connection: close}, and every answer in flight (a download on a slow link, an upload still
 * arriving) goes on to its end, for up to {@code pomf.delivery.drain-timeout}. Then the JVM exits as SIGTERM would
 * have made it (status 143): the shutdown hooks close the edge's store and hand over the last traffic records, and
 * Payara stops. A second SIGTERM during the drain stops the node at once; SIGINT (Ctrl-C) always does.
 *
 * <p>The JVM's own SIGTERM handler would start Payara's stop at once, which closes every connection mid-answer; this
 * one takes its place while the application is deployed and gives it back when it is undeployed.
 */
@ApplicationScoped
public class DrainedStop {
    private static final Logger LOG = Logger.getLogger(DrainedStop.class.getName());
    /** What the JVM exits with when SIGTERM ends it: 128 + 15, as its own handler does. */
    static final int TERMINATED = 143;

    @Inject
    @ConfigProperty(name = "pomf.delivery.drain-timeout", defaultValue = "30s")
    String drainTimeout;

    private final AtomicBoolean draining = new AtomicBoolean();
    private SignalHandler previous;
    private long limitNanos;

    void install(@Observes @Initialized(ApplicationScoped.class) Object started) {
        limitNanos = Durations.parse(drainTimeout)
                .orElseThrow(() -> new IllegalStateException(
                        "pomf.delivery.drain-timeout must be a duration such as 30s, not " + drainTimeout))
                .toNanos();
        try {
            previous = Signal.handle(new Signal("TERM"), signal -> onTerm());
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.log(Level.WARNING, "SIGTERM cannot be caught here: a stop cuts answers in flight", e);
        }
    }

    void uninstall(@Observes @Destroyed(ApplicationScoped.class) Object stopped) {
        if (previous != null && !draining.get()) {
            Signal.handle(new Signal("TERM"), previous);
            previous = null;
        }
    }

    private void onTerm() {
        if (!draining.compareAndSet(false, true)) {
            LOG.warning("a second SIGTERM: stopping now, without waiting for the answers in flight");
            exit();
            return;
        }
        Threads.stopping("pomf-drain", false, this::drain);
    }

    private void drain() {
        long start = System.nanoTime();
        for (Listeners.Listener listener : Listeners.all()) {
            try {
                listener.transport().unbindAll();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "port " + listener.port() + " could not be closed for the drain", e);
            }
            listener.shuttingDown().set(true);
        }
        int inFlight = inFlight();
        LOG.info(() -> "SIGTERM: draining: the port is closed, " + inFlight()
                + " answers in flight may finish for up to " + TimeUnit.NANOSECONDS.toSeconds(limitNanos) + " s");
        long nextReport = start + TimeUnit.SECONDS.toNanos(5);
        int left = inFlight;
        while (left > 0 && System.nanoTime() - start < limitNanos) {
            sleep(100);
            left = inFlight();
            if (System.nanoTime() >= nextReport) {
                int now = left;
                LOG.info(() -> "draining: " + now + " answers still in flight");
                nextReport += TimeUnit.SECONDS.toNanos(5);
            }
        }
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (left > 0) {
            int cut = left;
            LOG.warning(() -> "drain time is up after " + took + " ms: " + cut + " answers in flight are cut");
        } else {
            LOG.info(() -> "drained in " + took + " ms: stopping");
        }
        exit();
    }

    private static int inFlight() {
        int sum = 0;
        for (Listeners.Listener listener : Listeners.all()) {
            sum += Math.max(0, listener.inFlight().get());
        }
        return sum;
    }

    /** Exits from a thread of its own: System.exit waits for the shutdown hooks, which must not wait for us. */
    private static void exit() {
        Threads.stopping("pomf-stop", false, () -> System.exit(TERMINATED));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
