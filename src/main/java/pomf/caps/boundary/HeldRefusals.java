package pomf.caps.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.caps.control.ClientSlots;
import pomf.threads.control.Threads;
import pomf.time.control.Durations;

/**
 * Refusals of clients over a rate limit (unknown names, login attempts), held {@code pomf.refusal-delay} (1 s) before
 * they are sent, on no thread (an asynchronous answer and one timer thread), as nginx's {@code limit_req} delays
 * what exceeds its rate. A client asking in a closed loop, as a guessing or password script does, then gets one
 * answer a second per connection instead of as many as the machine can make, and the cores stay with the other
 * clients (issue 14). At most {@value #PER_CLIENT} refusals of one client and {@value #MAX} in all are held; past that
 * a refusal is sent at once and its connection closed, so the client's next request pays for a connection. {@code 0}
 * sends every refusal at once. A stopping server sends the held ones rather than cutting them.
 */
@ApplicationScoped
public class HeldRefusals {
    public static final int PER_CLIENT = 128;
    public static final int MAX = 4096;

    /** Writes a refusal's body; its status and headers are set before it is held. */
    @FunctionalInterface
    public interface Body {
        void write(HttpServletResponse response) throws IOException;
    }

    @Inject
    @ConfigProperty(name = "pomf.refusal-delay", defaultValue = "1s")
    String delay;

    @Resource
    ManagedThreadFactory threads;

    private long delayNanos;
    /** Refusals held now, by client (a client leaves when its last one is sent). */
    private final ClientSlots held = new ClientSlots(PER_CLIENT);

    private final AtomicInteger total = new AtomicInteger();
    private ScheduledThreadPoolExecutor releases;

    @PostConstruct
    void start() {
        delayNanos = Durations.parse(delay).map(Duration::toNanos).orElse(0L); // "0": sent at once
        if (delayNanos > 0) {
            releases = new ScheduledThreadPoolExecutor(1, Threads.named(threads, "pomf-refusal-delay"));
            releases.setRemoveOnCancelPolicy(true);
        }
    }

    @PreDestroy
    void stop() {
        if (releases != null) {
            releases.shutdownNow().forEach(Runnable::run);
        }
    }

    /** The bean itself rather than its client proxy, for the request path to call directly. */
    public HeldRefusals instance() {
        return this;
    }

    /**
     * Sends the refusal of {@code client} whose status and headers are set: {@code body} written after the delay when
     * the request may go on asynchronously and the caps allow, at once with {@code Connection: close} otherwise.
     */
    public void send(HttpServletRequest request, HttpServletResponse response, String client, Body body)
            throws IOException {
        if (releases == null) {
            body.write(response);
            return;
        }
        if (!request.isAsyncSupported() || !hold(client)) {
            response.setHeader("Connection", "close");
            body.write(response);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(TimeUnit.NANOSECONDS.toMillis(delayNanos) + 30_000);
        try {
            releases.schedule(() -> release(async, client, body), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            release(async, client, body);
        }
    }

    private boolean hold(String client) {
        if (total.incrementAndGet() > MAX || !held.take(client)) {
            total.decrementAndGet();
            return false;
        }
        return true;
    }

    private void release(AsyncContext async, String client, Body body) {
        try {
            body.write((HttpServletResponse) async.getResponse());
        } catch (IOException | IllegalStateException gone) {
            // The client left meanwhile, or the container ended the answer: nothing to send.
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException alreadyEnded) {
                // ended by the container (the client's connection failed)
            }
            held.giveBack(client);
            total.decrementAndGet();
        }
    }
}
