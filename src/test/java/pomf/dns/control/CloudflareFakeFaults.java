package pomf.dns.control;

import java.util.ArrayDeque;
import java.util.Deque;

/** The faults {@link CloudflareFake} answers the next calls with, in order, before it looks at a request. */
public final class CloudflareFakeFaults {
    record Fault(int status, String contentType, String body, String retryAfter) {}

    private final Deque<Fault> next = new ArrayDeque<>();

    /**
     * The next {@code calls} calls are rate limited: 429, Retry-After, and the envelope with error 971 ("Please wait
     * and consider throttling your request speed").
     */
    public synchronized CloudflareFakeFaults rateLimit(int calls, int retryAfterSeconds) {
        String body = CloudflareFakeZone.failure(429, 971, "Please wait and consider throttling your request speed")
                .body()
                .toString();
        return add(calls, new Fault(429, "application/json", body, Integer.toString(retryAfterSeconds)));
    }

    /** The next {@code calls} calls get this status with an HTML page, as Cloudflare's edge answers a 5xx. */
    public synchronized CloudflareFakeFaults status(int calls, int status) {
        String page = "<!DOCTYPE html><html><head><title>" + status + " | api.cloudflare.com</title></head>"
                + "<body><h1>Error " + status + "</h1><p>Bad gateway</p></body></html>";
        return add(calls, new Fault(status, "text/html; charset=UTF-8", page, null));
    }

    public synchronized void clear() {
        next.clear();
    }

    synchronized Fault next() {
        return next.poll();
    }

    private CloudflareFakeFaults add(int calls, Fault fault) {
        for (int i = 0; i < calls; i++) {
            next.add(fault);
        }
        return this;
    }
}
