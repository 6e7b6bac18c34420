package pomf.edge.boundary;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import pomf.caps.boundary.Hold;
import pomf.delivery.boundary.AsyncBody;
import pomf.delivery.boundary.Deliveries;
import pomf.delivery.boundary.NotFoundThrottle;
import pomf.delivery.control.Taken;
import pomf.edge.control.EdgeCache;
import pomf.edge.control.OriginClient;
import pomf.edge.control.OriginLanes;
import pomf.edge.control.Passthrough;
import pomf.http.entity.OriginHeaders;
import pomf.traffic.control.TrafficRecorder;
import pomf.traffic.entity.CacheStatus;

/**
 * Below min uses (or with the store off): the origin's answer, streamed through and not stored (nginx reports it as a
 * miss), with the client's range and conditions. Neither the origin's slowness nor the client's holds a thread.
 */
final class Forwarding {
    private static final Logger LOG = Logger.getLogger(Forwarding.class.getName());
    private static final String[] FORWARDED = {"Range", "If-Range", "If-None-Match", "If-Modified-Since"};
    /** What a cached answer carries of the origin's headers, and what only a passed-through answer has. */
    private static final List<String> PASSED = Stream.concat(
                    OriginClient.KEPT.stream(), Stream.of("Content-Range", "Accept-Ranges", "Location"))
            .toList();

    private final EdgeCache cache;
    private final TrafficRecorder records;
    private final Deliveries deliveries;
    private final NotFoundThrottle throttle;

    Forwarding(EdgeCache cache, TrafficRecorder records, Deliveries deliveries, NotFoundThrottle throttle) {
        this.cache = cache;
        this.throttle = throttle;
        this.records = records;
        this.deliveries = deliveries;
    }

    void pass(String name, HttpServletRequest request, HttpServletResponse response, boolean get) {
        if (deliveries.droppedIfGone(response)) {
            // Nothing is asked of the origin for a client that hung up after its request.
            if (request.isAsyncStarted()) {
                Hold.complete(request.getAsyncContext());
            }
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : FORWARDED) {
            String value = request.getHeader(h);
            if (value != null) {
                headers.put(h, value);
            }
        }
        AsyncContext context = AsyncBody.asyncOf(request);
        cache.passthrough().send(name, request.getMethod(), headers, cache).whenComplete((answer, failure) -> {
            try {
                relay(name, answer, failure, request, response, get);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "passing " + name + " through failed", e);
                if (answer != null) {
                    answer.body().close();
                }
                Hold.complete(context);
            }
        });
    }

    private void relay(
            String name,
            HttpResponse<Passthrough> answer,
            Throwable failure,
            HttpServletRequest request,
            HttpServletResponse response,
            boolean get)
            throws IOException {
        Passthrough body = answer == null ? null : answer.body();
        if (answer == null || foreignNotFound(answer)) {
            // Unreachable, or not the origin's word on the file (a server still starting): never "it is gone". Or it
            // waited its longest for a lane: the origin is there, busy with this edge's other requests.
            if (body != null) {
                body.close();
            }
            boolean busy = answer == null && OriginLanes.busy(failure);
            int status = busy ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : HttpServletResponse.SC_BAD_GATEWAY;
            response.setHeader("X-Cache-Status", CacheStatus.MISS.name());
            if (busy) {
                response.setHeader("Retry-After", "1");
            }
            EdgeCacheFilter.error(
                    response,
                    status,
                    busy ? "The origin is busy: try again shortly.\n" : "The origin is unavailable.\n");
            records.edge(status, 0, CacheStatus.MISS, null);
            Hold.complete(request.getAsyncContext());
            return;
        }
        response.setStatus(answer.statusCode());
        HttpHeaders origin = answer.headers();
        for (String h : PASSED) {
            origin.firstValue(h).ifPresent(v -> response.setHeader(h, v));
        }
        long length = origin.firstValueAsLong("Content-Length").orElse(-1);
        if (length >= 0) {
            response.setContentLengthLong(length);
        }
        int status = answer.statusCode();
        String file = status < 400 ? name : null;
        // The request now; its body's bytes as it ends (what the client took).
        records.edge(status, 0, CacheStatus.MISS, file);
        throttle.answered(request, status);
        if (!get || length <= 0) {
            body.close();
            if (length < 0 && get && status < 300) {
                // A body without a length cannot be relayed so that a cut shows: refuse it.
                response.reset();
                EdgeCacheFilter.error(response, HttpServletResponse.SC_BAD_GATEWAY, "The origin is unavailable.\n");
            }
            Hold.complete(request.getAsyncContext());
            return;
        }
        deliveries.send(
                request,
                response,
                new Taken(body, 0, n -> records.sent(true, n, file)),
                0,
                length,
                cache.wakeups(),
                true);
    }

    private static boolean foreignNotFound(HttpResponse<?> answer) {
        int status = answer.statusCode();
        return (status == 404 || status == 410)
                && answer.headers().firstValue(OriginHeaders.UNKNOWN_FILE).isEmpty();
    }
}
