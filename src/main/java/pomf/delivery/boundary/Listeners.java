package pomf.delivery.boundary;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Transport;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.HttpCodecFilter;
import org.glassfish.grizzly.http.HttpProbe;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.nio.NIOTransport;

/**
 * The Grizzly listeners that carried requests to this application, kept so that a stop can drain them: close their
 * ports, and count their answers in flight. Grizzly's HTTP filter already counts every request from its head until
 * its answer has left the connection's queue (for its own graceful shutdown, which Payara does not use), and answers
 * 503 with {@code Connection: close} to any request that arrives once its shutdown flag is set; both are reached by
 * reflection. Noted from the first request through each local port; on another container it is off.
 */
final class Listeners {
    private static final Logger LOG = Logger.getLogger(Listeners.class.getName());
    private static final Map<Integer, Listener> BY_PORT = new ConcurrentHashMap<>();
    private static volatile boolean absent;
    /** The {@link ContinueProbe} put on each listener's HTTP codec ({@link #NONE} where it could not be). */
    private static final Map<HttpCodecFilter, HttpProbe> PROBES = new ConcurrentHashMap<>();

    private static final HttpProbe NONE = new HttpProbe.Adapter();

    private Listeners() {}

    /** One listener: its transport and its HTTP filter's shutdown flag and in-flight count. */
    record Listener(int port, NIOTransport transport, AtomicBoolean shuttingDown, AtomicInteger inFlight) {}

    /** Notes the listener that carried {@code request}, once per local port. */
    static void note(ServletRequest request, ServletResponse response) {
        if (absent || BY_PORT.containsKey(request.getLocalPort())) {
            return;
        }
        try {
            GrizzlyBridge.Handle handle = GrizzlyBridge.open(response);
            if (handle == null) {
                return;
            }
            Request grizzly = (Request) handle.request();
            Transport transport = grizzly.getContext().getConnection().getTransport();
            FilterChain chain = grizzly.getContext().getFilterChain();
            int index = chain.indexOfType(HttpServerFilter.class);
            if (index < 0 || !(transport instanceof NIOTransport nio)) {
                return;
            }
            HttpServerFilter filter = (HttpServerFilter) chain.get(index);
            int codec = chain.indexOfType(HttpCodecFilter.class);
            if (codec >= 0) {
                PROBES.computeIfAbsent((HttpCodecFilter) chain.get(codec), Listeners::probe);
            }
            int port = request.getLocalPort();
            BY_PORT.computeIfAbsent(
                    port,
                    p -> new Listener(
                            p,
                            nio,
                            field(filter, "shuttingDown", AtomicBoolean.class),
                            field(filter, "activeRequestsCounter", AtomicInteger.class)));
        } catch (IOException | RuntimeException | LinkageError e) {
            absent = true;
            LOG.log(Level.WARNING, "the listener cannot be drained at a stop: SIGTERM cuts answers in flight", e);
        }
    }

    /** Takes this application's probes off the listeners (it is undeployed: its classes go with it). */
    static void forget() {
        PROBES.forEach((filter, probe) -> {
            if (probe != NONE) {
                filter.getMonitoringConfig().removeProbes(probe);
            }
        });
        PROBES.clear();
    }

    private static HttpProbe probe(HttpCodecFilter filter) {
        try {
            ContinueProbe probe = new ContinueProbe();
            filter.getMonitoringConfig().addProbes(probe);
            return probe;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "chunked uploads asking to continue wait for their client's timeout", e);
            return NONE;
        }
    }

    static Iterable<Listener> all() {
        return BY_PORT.values();
    }

    private static <T> T field(Object owner, String name, Class<T> type) {
        try {
            Field field = HttpServerFilter.class.getDeclaredField(name);
            field.setAccessible(true);
            return type.cast(field.get(owner));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Grizzly's HttpServerFilter." + name + " is not there", e);
        }
    }
}
