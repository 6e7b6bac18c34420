package pomf.delivery.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import pomf.delivery.control.BodySource;
import pomf.delivery.control.Queued;
import pomf.threads.control.Threads;
import pomf.time.control.Durations;

/**
 * The answers being written without a thread ({@link AsyncBody}), and the one rule that ends them early: nginx's
 * {@code send_timeout}. A client whose socket took no byte for that long (it stopped reading, or reads nothing at
 * all) is cut, which frees its connection and what its queue holds; a client that takes bytes at any pace, even a
 * few KB/s, never is: the clock restarts at every byte its socket accepts.
 */
@ApplicationScoped
public class Deliveries {
    private static final Logger LOG = Logger.getLogger(Deliveries.class.getName());
    /** What a minimum rate's window should ask for at least: several times what the socket buffers hold. */
    private static final long MIN_RATE_WINDOW_BYTES = 1 << 20;

    /** nginx's send_timeout: the longest a client's socket may accept no byte of an answer. */
    @Inject
    @ConfigProperty(name = "pomf.delivery.send-timeout", defaultValue = "60s")
    String sendTimeout;

    /**
     * Bytes a second a client must take of an answer, averaged over each window (issue 14, finding 6); 0: any pace
     * will do, only {@code send-timeout} ends a client.
     */
    @Inject
    @ConfigProperty(name = "pomf.delivery.min-rate", defaultValue = "0")
    long minRate;

    @Inject
    @ConfigProperty(name = "pomf.delivery.min-rate-window", defaultValue = "60s")
    String minRateWindow;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private final Set<AsyncBody> live = ConcurrentHashMap.newKeySet();
    /** Answers not started because their client had hung up already. */
    private final LongAdder hungUp = new LongAdder();
    /** Answers queued whole on their connection, each with the bytes it had waiting and since when (nanos). */
    private final Map<Queued, long[]> queued = new ConcurrentHashMap<>();

    private ScheduledThreadPoolExecutor watchdog;
    private long sendTimeoutNanos;
    private long windowNanos;

    @PostConstruct
    void start() {
        sendTimeoutNanos = Durations.parse(sendTimeout)
                .orElseThrow(() -> new IllegalStateException(
                        "pomf.delivery.send-timeout must be a duration such as 60s, not " + sendTimeout))
                .toNanos();
        windowNanos = Durations.parse(minRateWindow)
                .orElseThrow(() -> new IllegalStateException(
                        "pomf.delivery.min-rate-window must be a duration such as 60s, not " + minRateWindow))
                .toNanos();
        if (minRate > 0 && minRate * (windowNanos / 1e9) < MIN_RATE_WINDOW_BYTES) {
            // A slow reader's progress shows in steps of what the socket buffers hold (a few hundred KiB): a window
            // that asks for less may see an honest reader take nothing, and cut it.
            LOG.warning("pomf.delivery.min-rate x pomf.delivery.min-rate-window is under 1 MiB: readers above the"
                    + " minimum rate may be cut; lengthen the window");
        }
        registry.gauge("pomf_answers_hung_up", hungUp::sum);
        watchdog = new ScheduledThreadPoolExecutor(1, Threads.named(threads, "pomf-delivery-watchdog"));
        long shortest = minRate > 0 ? Math.min(sendTimeoutNanos, windowNanos) : sendTimeoutNanos;
        long every = Math.max(100, Math.min(5000, TimeUnit.NANOSECONDS.toMillis(shortest) / 4));
        watchdog.scheduleWithFixedDelay(this::cutStalled, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        watchdog.shutdownNow();
    }

    /** The bean itself rather than its client proxy, for the request path to call directly. */
    public Deliveries instance() {
        return this;
    }

    /**
     * Sends {@code length} bytes from {@code start} of {@code source} as the body of an answer whose status and
     * headers are set; see {@link AsyncBody#send}.
     */
    public void send(
            HttpServletRequest request,
            HttpServletResponse response,
            BodySource source,
            long start,
            long length,
            Executor wakeups,
            boolean mayFail)
            throws IOException {
        AsyncBody.send(request, response, source, start, length, wakeups, mayFail, this);
    }

    /**
     * Watches an answer given all at once whose bytes wait in its connection's queue: cut, like the others, once its
     * client takes no byte for the send timeout.
     */
    public void watch(Queued answer) {
        queued.put(answer, new long[] {answer.waiting(), System.nanoTime()});
    }

    /** Answers being written now. */
    public int live() {
        return live.size();
    }

    void hungUp() {
        hungUp.increment();
    }

    /**
     * Whether the client of {@code response} hung up after its request (see {@link AsyncBody#send}); if so, its
     * connection is closed now and the answer counted as not started. For what would fetch before an answer's body
     * starts: a request passed through to the origin.
     */
    public boolean droppedIfGone(HttpServletResponse response) {
        GrizzlyBridge.Handle grizzly = GrizzlyBridge.open(response);
        if (grizzly == null || !grizzly.clientGone()) {
            return false;
        }
        hungUp.increment();
        grizzly.drop();
        return true;
    }

    void started(AsyncBody body) {
        live.add(body);
    }

    void ended(AsyncBody body) {
        live.remove(body);
    }

    private void cutStalled() {
        long now = System.nanoTime();
        long cutoff = now - sendTimeoutNanos;
        for (AsyncBody body : live) {
            body.cutIfStalledSince(cutoff);
            if (minRate > 0) {
                body.cutIfSlowerThan(minRate, windowNanos, now);
            }
        }
        queued.forEach((answer, seen) -> {
            long waiting = answer.waiting();
            if (waiting == 0) {
                queued.remove(answer);
            } else if (waiting != seen[0]) {
                seen[0] = waiting;
                seen[1] = now;
            } else if (seen[1] - cutoff < 0) {
                queued.remove(answer);
                answer.cut();
            }
        });
    }
}
