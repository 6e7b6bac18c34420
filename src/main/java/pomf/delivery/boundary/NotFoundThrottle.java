package pomf.delivery.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.caps.boundary.HeldRefusals;
import pomf.http.control.EdgeLink;
import pomf.http.control.HttpSettings;
import pomf.http.control.RateLimiter;

/**
 * Throttles clients that ask for names that do not exist (issue 14, finding 13). A stored name has 8 random
 * characters (46.5 bits): with a million files, a client guessing thousands of names a second would find a private
 * file in hours. Each 404 takes a token from the client's bucket (its address, an IPv6 client by its prefix), which
 * refills at {@code pomf.not-found-per-minute} (120) and holds as many, or {@code pomf.not-found-burst}; once it is
 * empty, every file request of that client gets 429 with Retry-After until the bucket refills, so a guesser
 * cannot go on guessing among existing names either. At the default of 120 a minute, one address needs about 1.6
 * years per private file found among a million. An edge's own fetches from the origin (with the edges' token) are
 * not counted: they carry every client's misses.
 *
 * <p>A refusal is held for {@code pomf.refusal-delay} (1 s) before it is sent ({@link HeldRefusals}): a guessing
 * script in a closed loop then gets one answer a second per connection.
 */
@ApplicationScoped
public class NotFoundThrottle {
    private static final Logger LOG = Logger.getLogger(NotFoundThrottle.class.getName());

    @Inject
    @ConfigProperty(name = "pomf.not-found-per-minute", defaultValue = "120")
    int perMinute;

    /**
     * Unknown names a client may ask for at once before the rate above paces it (its bucket's size); 0: as many as
     * the rate allows a minute. Smaller keeps a guesser with many addresses to that many from each at once instead of
     * a minute's worth, at a price: a client whose bucket is empty is refused existing names too, so a viewer of a
     * page with more dead links of this host than the burst sees some live ones refused for a moment.
     */
    @Inject
    @ConfigProperty(name = "pomf.not-found-burst", defaultValue = "0")
    int burst;

    @Inject
    HttpSettings http;

    @Inject
    HeldRefusals refusalsBean;

    @Inject
    EdgeLink link;

    private RateLimiter misses;
    private HeldRefusals refusals;
    /**
     * Clients whose bucket is empty, and until when (nanoTime): what the listener's fast path asks, without a lock,
     * and at no cost while nobody is throttled. Bounded like the buckets.
     */
    private final ConcurrentHashMap<String, Long> dry = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        misses = perMinute > 0 ? new RateLimiter(perMinute, burst > 0 ? burst : perMinute) : null;
        refusals = refusalsBean.instance();
    }

    /** The bean itself rather than its client proxy, for the request path to call directly. */
    public NotFoundThrottle instance() {
        return this;
    }

    /**
     * Answers 429 and returns true when the client has used up its 404s; false when the request may go on. An
     * edge's fetch is never refused.
     */
    public boolean refused(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (misses == null || fromAnEdge(request)) {
            return false;
        }
        String client = client(request);
        long wait = misses.waitSeconds(client, System.nanoTime());
        if (wait <= 0) {
            return false;
        }
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(wait));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain; charset=UTF-8");
        refusals.send(request, response, client, NotFoundThrottle::writeRefusal);
        return true;
    }

    private static void writeRefusal(HttpServletResponse response) throws IOException {
        response.getWriter().write("429 Too Many Requests: too many unknown names from your address.\n");
    }

    /** Counts the answer: a 404 (or 410) takes one of the client's tokens. */
    public void answered(HttpServletRequest request, int status) {
        if (misses == null || (status != 404 && status != 410) || fromAnEdge(request)) {
            return;
        }
        String client = client(request);
        long now = System.nanoTime();
        misses.acquire(client, now);
        long wait = misses.waitSeconds(client, now);
        if (wait > 0) {
            if (dry.size() >= 100_000) {
                dry.clear(); // the buckets still refuse; only the fast path's shortcut is lost for a moment
            }
            dry.put(client, now + TimeUnit.SECONDS.toNanos(wait));
            LOG.fine(() -> "unknown names from " + client + " throttled for " + wait + " s");
        }
    }

    /** For the listener's fast path: whether this client may be refused (then the servlet path decides). */
    public boolean mayRefuse(String peer, String forwardedFor) {
        if (dry.isEmpty()) {
            return false;
        }
        String client = http.clientAddress().limitKey(http.clientAddress().resolve(peer, forwardedFor));
        Long until = dry.get(client);
        if (until == null) {
            return false;
        }
        if (until - System.nanoTime() > 0) {
            return true;
        }
        dry.remove(client, until);
        return false;
    }

    private boolean fromAnEdge(HttpServletRequest request) {
        return link.fetchedByAnEdge(request.getHeader(EdgeLink.FETCH_HEADER));
    }

    private String client(HttpServletRequest request) {
        String address = http.clientAddress().of(request);
        return http.clientAddress().limitKey(address);
    }
}
