package pomf.delivery.boundary;

import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.RequestExecutorProvider;
import org.glassfish.grizzly.http.server.Response;

/**
 * A door in front of the servlet container, on Payara's Grizzly listener: requests it can answer alone (the edge's
 * small fresh hits) are answered there, before the container maps, wraps, secures and filters them (four fifths of
 * the work of a 4 KiB hit); every other request goes on to the container exactly as before. Put on each listener by
 * the first request that reaches the application through it, taken off when the application stops. On another
 * container it is off, and every request takes the servlet path.
 */
public final class ListenerFront {
    private static final Logger LOG = Logger.getLogger(ListenerFront.class.getName());
    private static final Map<HttpServerFilter, Front> INSTALLED = new ConcurrentHashMap<>();
    private static volatile boolean absent;

    private ListenerFront() {}

    /** Answers a request at the listener, or says no (false, nothing written) and the container answers it. */
    public interface Door {
        boolean answer(Request request, Response response) throws IOException;
    }

    /** Puts {@code door} in front of the listener that carried {@code response}, once per listener. */
    public static void offer(ServletResponse response, Door door) {
        if (absent) {
            return;
        }
        try {
            GrizzlyBridge.Handle handle = GrizzlyBridge.open(response);
            if (handle == null) {
                return;
            }
            HttpServerFilter filter = serverFilter((Request) handle.request());
            if (filter == null || INSTALLED.containsKey(filter)) {
                return;
            }
            synchronized (INSTALLED) {
                HttpHandler current = filter.getHttpHandler();
                if (INSTALLED.containsKey(filter) || current == null || current instanceof Front) {
                    return;
                }
                HttpHandler next = withoutStaleFront(current);
                Front front = new Front(next, door);
                filter.setHttpHandler(front);
                INSTALLED.put(filter, front);
                LOG.info(() -> "answers at the listener, in front of "
                        + next.getClass().getName());
            }
        } catch (IOException | RuntimeException | LinkageError | ReflectiveOperationException e) {
            absent = true;
            LOG.log(Level.WARNING, "the listener cannot be fronted: every request takes the servlet path", e);
        }
    }

    private static HttpServerFilter serverFilter(Request request) {
        FilterChain chain = request.getContext().getFilterChain();
        int index = chain.indexOfType(HttpServerFilter.class);
        return index < 0 ? null : (HttpServerFilter) chain.get(index);
    }

    /**
     * The handler under a front left by an earlier deployment of this application that could not take it off (its
     * classes are another loader's): a new front replaces it rather than answering behind it.
     */
    private static HttpHandler withoutStaleFront(HttpHandler handler) throws ReflectiveOperationException {
        HttpHandler h = handler;
        while (h.getClass().getName().equals(Front.class.getName())) {
            Field next = h.getClass().getDeclaredField("next");
            next.setAccessible(true);
            h = (HttpHandler) next.get(h);
            LOG.warning("a front of an earlier deployment was still on the listener: replaced");
        }
        return h;
    }

    /** Gives every listener its own handler back (the application is stopping: its classes go with it). */
    public static void withdraw() {
        synchronized (INSTALLED) {
            INSTALLED.forEach((filter, front) -> {
                if (filter.getHttpHandler() == front) {
                    filter.setHttpHandler(front.next);
                }
            });
            INSTALLED.clear();
        }
    }

    /** The listener's handler with the door in front; the same request settings as the handler it fronts. */
    private static final class Front extends HttpHandler {
        private final HttpHandler next;
        private final Door door;

        Front(HttpHandler next, Door door) throws ReflectiveOperationException {
            super(next.getName());
            this.next = next;
            this.door = door;
            setAllowEncodedSlash(next.isAllowEncodedSlash());
            setAllowCustomStatusMessage(next.isAllowCustomStatusMessage());
            setRequestURIEncoding(next.getRequestURIEncoding());
            Field decode = HttpHandler.class.getDeclaredField("decodeURL");
            decode.setAccessible(true);
            setDecodeUrl(decode.getBoolean(next));
        }

        @Override
        public void service(Request request, Response response) throws Exception {
            if (!door.answer(request, response)) {
                next.service(request, response);
            }
        }

        @Override
        public RequestExecutorProvider getRequestExecutorProvider() {
            return next.getRequestExecutorProvider();
        }
    }
}
