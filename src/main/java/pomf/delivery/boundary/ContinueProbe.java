package pomf.delivery.boundary;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpProbe;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.memory.Buffers;

/**
 * Answers {@code Expect: 100-continue} on a chunked request as soon as its header is parsed. Grizzly sends the interim
 * answer when it hands the request to the application, and it hands a chunked one over only once the first chunk has
 * arrived, which the client holds back until it reads {@code 100 Continue} or its own wait runs out: every chunked
 * upload from curl waited 1 s, and every PATCH of tus-java-client (Java's HttpURLConnection) 5 s. A body with a
 * Content-Length is handed over with its header alone, and acknowledged by Grizzly as before.
 */
final class ContinueProbe extends HttpProbe.Adapter {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** {@code HttpRequestPacket.requiresAcknowledgement(boolean)}, protected: the application would send it twice. */
    private final MethodHandle acknowledged;

    ContinueProbe() throws ReflectiveOperationException {
        var method = HttpRequestPacket.class.getDeclaredMethod("requiresAcknowledgement", boolean.class);
        method.setAccessible(true);
        acknowledged = MethodHandles.lookup()
                .unreflect(method)
                .asType(MethodType.methodType(void.class, HttpRequestPacket.class, boolean.class));
    }

    @Override
    public void onHeaderParseEvent(Connection connection, HttpHeader header, int size) {
        // Grizzly decided when it parsed the header: HTTP/1.1, asked to continue, no body bytes yet.
        if (header instanceof HttpRequestPacket request && request.isChunked() && request.requiresAcknowledgement()) {
            try {
                acknowledged.invokeExact(request, false);
            } catch (Throwable e) {
                return; // Grizzly acknowledges it with the first chunk, as before
            }
            connection.write(Buffers.wrap(connection.getMemoryManager(), CONTINUE));
        }
    }
}
