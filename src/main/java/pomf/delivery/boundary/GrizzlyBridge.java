package pomf.delivery.boundary;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Payara's Grizzly under a servlet response, for the two things the servlet API cannot do: hand a buffer to the
 * connection without copying it (Grizzly queues it as it is when the socket is full, so a thousand slow clients of
 * one file share its chunks instead of holding a copy each), and cut a connection mid-answer (a body that ends
 * early must never pass for a whole one on a kept-alive connection). Found by reflection at the first answer; on
 * another container it is off, and {@link AsyncBody} writes through the servlet stream and sends answers that may
 * be cut with {@code Connection: close}.
 */
final class GrizzlyBridge {
    private static final Logger LOG = Logger.getLogger(GrizzlyBridge.class.getName());
    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static volatile GrizzlyBridge found;
    private static volatile boolean absent;

    private final Class<?> facade;
    private final MethodHandle catalinaResponse;
    private final MethodHandle grizzlyResponse;
    private final MethodHandle outputBuffer;
    private final MethodHandle writeByteBuffer;
    private final MethodHandle request;
    private final MethodHandle context;
    private final MethodHandle connection;
    private final MethodHandle close;
    private final MethodHandle terminate;
    /** Asks the kernel whether a client hung up, or null where it cannot be asked. */
    private final Hangups hangups;

    private GrizzlyBridge(Object facadeResponse) throws Throwable {
        facade = facadeResponse.getClass();
        Field field = facade.getDeclaredField("response");
        field.setAccessible(true);
        catalinaResponse = MethodHandles.lookup().unreflectGetter(field).asType(GETTER);
        Object catalina = field.get(facadeResponse);
        grizzlyResponse = getter(catalina, "getCoyoteResponse");
        Object grizzly = grizzlyResponse.invoke(catalina);
        outputBuffer = getter(grizzly, "getOutputBuffer");
        Object buffer = outputBuffer.invoke(grizzly);
        writeByteBuffer = MethodHandles.publicLookup()
                .unreflect(buffer.getClass().getMethod("writeByteBuffer", ByteBuffer.class))
                .asType(MethodType.methodType(void.class, Object.class, ByteBuffer.class));
        request = getter(grizzly, "getRequest");
        Object grizzlyRequest = request.invoke(grizzly);
        context = getter(grizzlyRequest, "getContext");
        Object filterChainContext = context.invoke(grizzlyRequest);
        connection = getter(filterChainContext, "getConnection");
        Object grizzlyConnection = connection.invoke(filterChainContext);
        close = MethodHandles.publicLookup()
                .unreflect(publicMethod(grizzlyConnection.getClass(), "closeSilently"))
                .asType(MethodType.methodType(void.class, Object.class));
        terminate = MethodHandles.publicLookup()
                .unreflect(publicMethod(grizzlyConnection.getClass(), "terminateSilently"))
                .asType(MethodType.methodType(void.class, Object.class));
        hangups = Hangups.find(grizzlyConnection);
    }

    /** The Grizzly side of a response, or null when the bridge is off (not Payara, or its internals changed). */
    static Handle open(ServletResponse response) {
        ServletResponse r = response;
        while (r instanceof ServletResponseWrapper wrapper) {
            r = wrapper.getResponse();
        }
        if (absent) {
            return null;
        }
        GrizzlyBridge bridge = found;
        try {
            if (bridge == null) {
                bridge = new GrizzlyBridge(r);
                found = bridge;
                LOG.info("answers are handed to Grizzly without copies, and can be cut mid-body");
            }
            if (r.getClass() != bridge.facade) {
                return null;
            }
            Object grizzly = bridge.grizzlyResponse.invokeExact(bridge.catalinaResponse.invokeExact((Object) r));
            return bridge.new Handle(grizzly, bridge.outputBuffer.invokeExact(grizzly));
        } catch (Throwable e) {
            if (found == null) {
                absent = true;
                LOG.log(
                        Level.WARNING,
                        "Grizzly is not reachable under the servlet response: large answers are copied, and those "
                                + "that may be cut are sent with Connection: close",
                        e);
            }
            return null;
        }
    }

    /** One response's Grizzly output. */
    final class Handle {
        private final Object response;
        private final Object buffer;

        private Handle(Object response, Object buffer) {
            this.response = response;
            this.buffer = buffer;
        }

        /** Queues {@code bytes} as they are: the caller must never change them afterwards. */
        void write(ByteBuffer bytes) throws IOException {
            try {
                writeByteBuffer.invokeExact(buffer, bytes);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException(e);
            }
        }

        /** Grizzly's own request under this response (an {@code org.glassfish.grizzly.http.server.Request}). */
        Object request() throws IOException {
            try {
                return request.invokeExact(response);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IOException(e);
            }
        }

        /**
         * Whether the client has hung up (its end of the connection is shut, or reset), asked of the kernel without
         * reading from the socket; false where that cannot be asked. A client that shut only its sending side counts
         * as gone, as nginx counts it for an answer it fetches ({@code proxy_ignore_client_abort off}).
         */
        boolean clientGone() {
            if (hangups == null) {
                return false;
            }
            try {
                Object grizzlyRequest = request.invokeExact(response);
                Object filterChainContext = context.invokeExact(grizzlyRequest);
                return hangups.gone(connection.invokeExact(filterChainContext));
            } catch (Throwable e) {
                return false;
            }
        }

        /**
         * Closes the connection once what is queued has gone: the client sees the body end before its
         * Content-Length.
         */
        void cut() {
            closeWith(close);
        }

        /**
         * Closes the connection now, dropping what is queued for it: for a client that takes nothing, whose queue
         * would never drain (a close that waits for it would hold the connection for as long as the client likes).
         */
        void drop() {
            closeWith(terminate);
        }

        private void closeWith(MethodHandle how) {
            try {
                Object grizzlyRequest = request.invokeExact(response);
                Object filterChainContext = context.invokeExact(grizzlyRequest);
                how.invokeExact(connection.invokeExact(filterChainContext));
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "could not cut a connection mid-answer", e);
            }
        }
    }

    /**
     * {@code poll(2)} with {@code POLLRDHUP} on a connection's socket, with no wait: what nginx asks before it fetches
     * for a client ({@code ngx_http_upstream_check_broken_connection}). Linux only; it needs the JDK's
     * {@code sun.nio.ch}, which Payara Micro's launcher opens to applications. About a microsecond a call.
     */
    private static final class Hangups {
        private static final int POLLERR = 0x8;
        private static final int POLLHUP = 0x10;
        private static final int POLLRDHUP = 0x2000;
        private final MethodHandle channel;
        private final MethodHandle descriptor;
        private final MethodHandle poll;

        private Hangups(MethodHandle channel, MethodHandle descriptor, MethodHandle poll) {
            this.channel = channel;
            this.descriptor = descriptor;
            this.poll = poll;
        }

        static Hangups find(Object grizzlyConnection) {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return null;
            }
            try {
                MethodHandle channel = getter(grizzlyConnection, "getChannel");
                Object socket = channel.invoke(grizzlyConnection);
                Method getFD = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFD");
                getFD.setAccessible(true);
                Method poll = Class.forName("sun.nio.ch.Net")
                        .getDeclaredMethod("poll", FileDescriptor.class, int.class, long.class);
                poll.setAccessible(true);
                Hangups found = new Hangups(
                        channel,
                        MethodHandles.lookup()
                                .unreflect(getFD)
                                .asType(MethodType.methodType(FileDescriptor.class, Object.class)),
                        MethodHandles.lookup().unreflect(poll));
                found.gone(grizzlyConnection); // fails here, once, rather than at every answer
                LOG.fine(() -> "clients that hung up are noticed before their answers start (" + socket + ")");
                return found;
            } catch (Throwable e) {
                LOG.log(
                        Level.INFO,
                        "the kernel cannot be asked whether a client hung up: such answers end at their first write",
                        e);
                return null;
            }
        }

        boolean gone(Object grizzlyConnection) throws Throwable {
            Object socket = channel.invokeExact(grizzlyConnection);
            FileDescriptor fd = (FileDescriptor) descriptor.invokeExact(socket);
            int events = (int) poll.invokeExact(fd, POLLRDHUP, 0L);
            return events > 0 && (events & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
        }
    }

    private static MethodHandle getter(Object target, String name) throws ReflectiveOperationException {
        return MethodHandles.publicLookup()
                .unreflect(publicMethod(target.getClass(), name))
                .asType(GETTER);
    }

    /** The method as declared by a public class or interface, so that a public lookup may call it. */
    private static Method publicMethod(Class<?> type, String name) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (Modifier.isPublic(c.getModifiers())) {
                try {
                    return c.getMethod(name);
                } catch (NoSuchMethodException e) {
                    // look further up
                }
            }
            for (Class<?> i : c.getInterfaces()) {
                try {
                    return i.getMethod(name);
                } catch (NoSuchMethodException e) {
                    // next interface
                }
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name);
    }
}
