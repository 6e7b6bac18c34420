package pomf.delivery.boundary;

import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.http.Note;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.RequestExecutorProvider;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.Header;

/**
 * A door in front of the servlet container, on Payara's Grizzly listener: requests it can answer alone (the edge's
 * small fresh hits) are answered there, on the selector thread that read them, before the container maps, wraps,
 * secures and filters them (four fifths of the work of a 4 KiB hit), and before the HTTP pool's queue: a burst of
 * requests that need the container (a flood of made-up names, two thousand hung-up ranges) does not hold up the
 * hits behind it. Every other request goes on to the container on the HTTP pool exactly as before. Put on each listener by
 * the first request that reaches the application through it, taken off when the application stops. On another
 * container it is off, and every request takes the servlet path.
 */
public final class ListenerFront {
    private static final Logger LOG = Logger.getLogger(ListenerFront.class.getName());
    private static final Map<HttpServerFilter, Front> INSTALLED = new ConcurrentHashMap<>();
    private static volatile boolean absent;
    /** What the door said when it was asked on the selector thread: true answered, false declined. */
    private static final Note<Boolean> ASKED = Request.createNote("pomf.asked-at-listener");
    /** Set on a request whose body is read on the selector thread ({@link #readOnSelector}). */
    private static final Note<Boolean> READ_ON_SELECTOR = Request.createNote("pomf.read-on-selector");

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
            install((Request) handle.request(), door);
        } catch (IOException | RuntimeException | LinkageError | ReflectiveOperationException e) {
            absent = true;
            LOG.log(Level.WARNING, "the listener cannot be fronted: every request takes the servlet path", e);
        }
    }

    /**
     * Has the container call this request's read listener on the selector thread that reads its body, instead of
     * handing each arrival of bytes to the HTTP pool: for an upload whose callbacks only copy, hash and write to the
     * page cache (anything that waits for the disk or the database runs on a pool of its own), the hand-off and the
     * selector's wake-up cost more than the work, about 30 times a megabyte. The listener gets a front without a
     * door if it has none. False (and nothing changed) when the listener cannot be fronted.
     */
    public static boolean readOnSelector(ServletResponse response) {
        if (absent) {
            return false;
        }
        try {
            GrizzlyBridge.Handle handle = GrizzlyBridge.open(response);
            if (handle == null) {
                return false;
            }
            Request request = (Request) handle.request();
            if (!install(request, null)) {
                return false;
            }
            request.setNote(READ_ON_SELECTOR, Boolean.TRUE);
            return true;
        } catch (IOException | RuntimeException | LinkageError | ReflectiveOperationException e) {
            absent = true;
            LOG.log(Level.WARNING, "the listener cannot be fronted: every request takes the servlet path", e);
            return false;
        }
    }

    /**
     * Back to the HTTP pool for the rest of this request's body ({@link #readOnSelector}): from where its reader may
     * have to wait (a large upload's chunks queued for hashing), which must never hold up a selector thread.
     */
    public static void readOnPool(ServletResponse response) {
        try {
            GrizzlyBridge.Handle handle = absent ? null : GrizzlyBridge.open(response);
            if (handle != null) {
                ((Request) handle.request()).removeNote(READ_ON_SELECTOR);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "a body read on the selector thread could not be moved to the HTTP pool", e);
        }
    }

    /** Puts a front on the request's listener, or gives the one there a door if it has none yet: true if fronted. */
    private static boolean install(Request request, Door door) throws IOException, ReflectiveOperationException {
        HttpServerFilter filter = serverFilter(request);
        if (filter == null) {
            return false;
        }
        Front installed = INSTALLED.get(filter);
        if (installed != null && (door == null || installed.door != null)) {
            return true;
        }
        synchronized (INSTALLED) {
            installed = INSTALLED.get(filter);
            if (installed != null) {
                if (installed.door == null && door != null) {
                    installed.door = door;
                    LOG.info("answers at the listener from now on");
                }
                return true;
            }
            HttpHandler current = filter.getHttpHandler();
            if (current == null || current instanceof Front) {
                return false;
            }
            HttpHandler next = withoutStaleFront(current);
            Front front = new Front(next, door);
            filter.setHttpHandler(front);
            INSTALLED.put(filter, front);
            LOG.info(() -> (door == null ? "reads uploads at the listener" : "answers at the listener")
                    + ", in front of " + next.getClass().getName());
            return true;
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

    /**
     * A plain HTTP/1.x request, the only kind answered on a selector thread: an HTTP/2 stream, or a request asking
     * to upgrade ({@code Upgrade}), is answered on the HTTP pool by the container.
     */
    private static boolean plainHttp1(Request request) {
        Protocol protocol = request.getProtocol();
        return (protocol == Protocol.HTTP_1_1 || protocol == Protocol.HTTP_1_0)
                && request.getHeader(Header.Upgrade) == null;
    }

    /** The listener's handler with the door in front; the same request settings as the handler it fronts. */
    private static final class Front extends HttpHandler {
        private final HttpHandler next;
        /** Null while the listener only reads uploads on its selector threads (an origin): nothing is answered. */
        private volatile Door door;

        private final RequestExecutorProvider provider = this::inline;

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
            Boolean asked = request.getNote(ASKED);
            Door door = this.door;
            if (door == null || (asked == null ? !door.answer(request, response) : !asked)) {
                next.service(request, response);
            }
        }

        @Override
        public RequestExecutorProvider getRequestExecutorProvider() {
            return provider;
        }

        /**
         * Where Grizzly runs the request: asked on the selector thread (the same-thread I/O strategy), the door
         * answers there, and only what it declines goes to the HTTP pool; on a worker already, service() asks it.
         * Once per request: a later call, for an answer under way (Grizzly asks again for the executor of its write
         * listener), gets the worker without asking the door.
         */
        private Executor inline(Request request) {
            Response response = request.getResponse();
            if (response.isSuspended() && request.getNote(READ_ON_SELECTOR) != null) {
                // A body read on the selector thread: Grizzly asks for the executor of each read callback.
                return null;
            }
            Executor worker = next.getRequestExecutorProvider().getExecutor(request);
            if (response.isCommitted() || response.isSuspended()) {
                // Grizzly asks again for the executor of an answer under way (where to run its write listener as
                // the socket drains): the door was asked when the request came, and must never answer it twice.
                return worker;
            }
            request.removeNote(READ_ON_SELECTOR); // notes outlive a request on its connection
            Door door = this.door;
            if (door == null || worker == null || !plainHttp1(request)) {
                request.removeNote(ASKED); // notes outlive a request on its connection: service() asks the door
                return worker;
            }
            try {
                boolean answered = door.answer(request, request.getResponse());
                request.setNote(ASKED, answered); // asked once: a hit counts one use
                if (answered) {
                    return null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return worker;
        }
    }
}
