package pomf.dns.control;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** The faults {@link NamecheapFake} answers the next calls with, in order, before it looks at a request. */
public final class NamecheapFakeFaults {
    /** One answer in place of the real one. */
    record Fault(int status, String number, String text, String raw, Duration delay) {
        /** A slow answer: the real one, late. */
        boolean slow() {
            return delay != null;
        }

        String body(String command, URI request) {
            if (raw != null) {
                return raw;
            }
            if (number != null) {
                return NamecheapFakeXml.error(command, number, text);
            }
            // Like a web server's own error page, which names the URL it failed on: the ApiKey of a GET with it.
            return "<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' Application.</h1>"
                    + "<p>Request URL: " + request + "</p></body></html>";
        }
    }

    private final Deque<Fault> next = new ArrayDeque<>();
    private int unconfirmed;

    /** The next {@code calls} calls get this HTTP status and an HTML error page. */
    public synchronized NamecheapFakeFaults status(int calls, int status) {
        return add(calls, new Fault(status, null, null, null, null));
    }

    /** The next {@code calls} calls get HTTP 200 {@code Status="ERROR"} with this error (500000 Too many requests). */
    public synchronized NamecheapFakeFaults error(int calls, String number, String text) {
        return add(calls, new Fault(200, number, text, null, null));
    }

    /** The next call gets HTTP 200 with exactly this body. */
    public synchronized NamecheapFakeFaults body(String body) {
        return add(1, new Fault(200, null, null, body, null));
    }

    /** The next {@code calls} calls are answered as usual, but only after the delay. */
    public synchronized NamecheapFakeFaults slow(int calls, Duration delay) {
        return add(calls, new Fault(200, null, null, null, delay));
    }

    /** The next {@code calls} setHosts calls answer {@code IsSuccess="false"} and change nothing. */
    public synchronized NamecheapFakeFaults unconfirmedSetHosts(int calls) {
        unconfirmed += calls;
        return this;
    }

    public synchronized void clear() {
        next.clear();
        unconfirmed = 0;
    }

    synchronized boolean takeUnconfirmed() {
        if (unconfirmed == 0) {
            return false;
        }
        unconfirmed--;
        return true;
    }

    synchronized Fault next() {
        return next.poll();
    }

    private NamecheapFakeFaults add(int calls, Fault fault) {
        for (int i = 0; i < calls; i++) {
            next.add(fault);
        }
        return this;
    }
}
