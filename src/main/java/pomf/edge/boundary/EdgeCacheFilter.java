package pomf.edge.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.caps.boundary.Hold;
import pomf.caps.boundary.InFlightCaps;
import pomf.delivery.boundary.AsyncBody;
import pomf.delivery.boundary.Deliveries;
import pomf.delivery.boundary.ListenerFront;
import pomf.delivery.boundary.NotFoundThrottle;
import pomf.delivery.control.Sent;
import pomf.edge.control.Answer;
import pomf.edge.control.EdgeCache;
import pomf.http.control.EdgeLink;
import pomf.http.entity.OriginHeaders;
import pomf.names.control.StoredNames;
import pomf.roles.control.Roles;
import pomf.traffic.control.TrafficRecorder;
import pomf.traffic.entity.CacheStatus;

/**
 * The edge in front of {@code /f/*}: answers from the cache (see {@link EdgeCache} for the rules), passes the
 * request through below min uses, and says which with {@code X-Cache-Status}. Off unless the edge role is on; the
 * edge's own fetches from an instance that is also the origin go on to the file servlet. No request thread waits
 * for the origin or for a slow client: what needs either continues asynchronously.
 */
@WebFilter(urlPatterns = "/f/*", asyncSupported = true)
public class EdgeCacheFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EdgeCacheFilter.class.getName());

    @Inject
    EdgeCache cacheBean;

    @Inject
    EdgeLink linkBean;

    @Inject
    TrafficRecorder recordsBean;

    @Inject
    Deliveries deliveriesBean;

    @Inject
    NotFoundThrottle throttleBean;

    @Inject
    InFlightCaps capsBean;

    @Inject
    Roles roles;

    /** This instance is the origin too: a link the origin serves itself goes past this cache to the servlet. */
    private transient boolean alsoOrigin;

    // The beans themselves, not their client proxies: the request path calls them directly.
    private transient EdgeCache cache;
    private transient EdgeLink link;
    private transient TrafficRecorder records;
    private transient CachedResponse cached;
    private transient Forwarding forwarding;
    private transient FastHits fastHits;
    private transient NotFoundThrottle throttle;
    private transient InFlightCaps caps;

    @Override
    public void init() {
        cache = cacheBean.instance();
        records = recordsBean.instance();
        Deliveries deliveries = deliveriesBean.instance();
        throttle = throttleBean.instance();
        caps = capsBean.instance();
        link = linkBean.instance();
        alsoOrigin = roles.origin();
        cached = new CachedResponse(cache, deliveries, records);
        forwarding = new Forwarding(cache, records, deliveries, throttle);
        if (cache.enabled() && cache.fastHits()) {
            fastHits = new FastHits(
                    cache,
                    link,
                    records,
                    deliveries,
                    throttle,
                    getServletContext().getContextPath());
        }
    }

    @Override
    public void destroy() {
        ListenerFront.withdraw();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String method = request.getMethod();
        boolean get = method.equals("GET");
        if (!cache.enabled()
                || !(get || method.equals("HEAD"))
                || link.fetchedByAnEdge(request.getHeader(EdgeLink.FETCH_HEADER))
                || (alsoOrigin && OriginHeaders.ORIGIN_QUERY.equals(request.getQueryString()))) {
            chain.doFilter(request, response);
            return;
        }
        if (throttle.refused(request, response)) {
            records.edge(429, 0, null, null);
            return;
        }
        Hold hold = caps.answer(request, response);
        if (hold == null) {
            records.edge(429, 0, null, null);
            return;
        }
        try {
            answer(request, response, get);
        } finally {
            hold.leave();
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, boolean get) throws IOException {
        if (fastHits != null) {
            // Once per listener: from then on its fresh hits up to 1 MiB are answered before they get here.
            ListenerFront.offer(response, fastHits);
        }
        String path = request.getPathInfo();
        String name = path == null ? null : StoredNames.fromPath(path);
        if (name == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("text/plain; charset=UTF-8");
            response.getWriter().write("404 Not Found\n");
            records.edge(HttpServletResponse.SC_NOT_FOUND, 0, null, null);
            throttle.answered(request, HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String range = get ? request.getHeader("Range") : null;
        Answer answer = cache.answer(name, firstByte(range), lastByte(range));
        if (!answer.pending()) {
            respond(request, response, name, answer, get);
            return;
        }
        AsyncContext context = AsyncBody.asyncOf(request);
        answer.later().whenComplete((later, failure) -> {
            try {
                respond(request, response, name, later != null ? later : Answer.failed(), get);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "answering " + name + " failed", e);
                completeQuietly(context);
            }
        });
    }

    private void respond(
            HttpServletRequest request, HttpServletResponse response, String name, Answer answer, boolean get)
            throws IOException {
        CacheStatus status = answer.status();
        response.setHeader("X-Cache-Status", status.name());
        cache.counters().answered(status);
        if (answer.passThrough()) {
            forwarding.pass(name, request, response, get);
            return;
        }
        if (answer.object() == null) {
            int code = answer.errorStatus();
            if (answer.location() != null) {
                response.setHeader("Location", answer.location());
            }
            error(response, code, text(code));
            records.edge(code, 0, status, null);
            throttle.answered(request, code);
            if (request.isAsyncStarted()) {
                Hold.complete(request.getAsyncContext());
            }
            return;
        }
        Sent sent;
        try {
            sent = cached.send(answer.object(), request, response, get);
        } catch (IOException | RuntimeException e) {
            records.edge(500, 0, status, null);
            throw e;
        }
        // The answer's body may be finished by another thread already: only what send() returned is read here.
        records.edge(sent.status(), sent.bytes(), status, sent.status() < 400 ? name : null);
    }

    /** Completes an answer that failed; the container may have completed it already (the client left). */
    static void completeQuietly(AsyncContext context) {
        try {
            Hold.complete(context);
        } catch (IllegalStateException e) {
            // already completed
        }
    }

    private static String text(int code) {
        return switch (code) {
            case 404 -> "404 Not Found\n";
            case 307 -> "This file is served by the origin (it has a download limit).\n";
            case EdgeCache.UNAVAILABLE_FOR_LEGAL_REASONS ->
                "451 Unavailable For Legal Reasons\nThis file was taken down.\n";
            default -> "The origin is unavailable.\n";
        };
    }

    /** An error answer: its own status, never stored, never a range of anything. */
    static void error(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain; charset=UTF-8");
        response.getWriter().write(text);
    }

    /** Where a GET's body starts in the object, from a simple {@code Range: bytes=N-...}; 0 otherwise. */
    static long firstByte(String range) {
        if (range == null || !range.regionMatches(true, 0, "bytes=", 0, 6)) {
            return 0;
        }
        long first = 0;
        for (int i = 6; i < range.length() && i < 25; i++) {
            char c = range.charAt(i);
            if (c < '0' || c > '9') {
                return c == '-' && i > 6 ? first : 0;
            }
            first = first * 10 + (c - '0');
        }
        return 0;
    }

    /**
     * Where a GET's body ends in the object, from a simple closed {@code Range: bytes=N-M}; -1 when it is open, or
     * anything else (the whole object may be wanted).
     */
    static long lastByte(String range) {
        long first = firstByte(range);
        if (range == null || first == 0 && !range.regionMatches(true, 0, "bytes=0-", 0, 8)) {
            return -1;
        }
        int dash = range.indexOf('-', 6);
        if (dash < 0 || dash + 1 >= range.length() || range.length() - dash > 19) {
            return -1;
        }
        long last = 0;
        for (int i = dash + 1; i < range.length(); i++) {
            char c = range.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            last = last * 10 + (c - '0');
        }
        return last >= first ? last : -1;
    }
}
