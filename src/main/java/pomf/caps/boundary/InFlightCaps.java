package pomf.caps.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.caps.control.ClientSlots;
import pomf.http.control.ClientAddress;
import pomf.http.control.EdgeLink;
import pomf.http.control.HttpSettings;

/**
 * The caps per client on uploads and answers in flight (issue 14, finding 6). Slow clients hold no thread here, so
 * what a crowd of slow requests from one client takes from everyone else is connections, buffers, file handles and
 * the server's attention: a client (its address, an IPv6 client by its prefix) may have so many at once, and the
 * next is refused with 429 at once, before it costs anything, until one of its own ends. Pace is not judged: a
 * client under its cap is served however slowly it reads or sends. An edge's fetches (with the edges' token: they
 * carry every client's misses) and the exempt ranges (by default the host itself: its monitoring, benchmarks, a local
 * proxy whose clients are not told apart) are never counted.
 */
@ApplicationScoped
public class InFlightCaps {
    /** A slot frees when one of the client's own requests ends, which cannot be foreseen: try again shortly. */
    public static final long RETRY_AFTER_SECONDS = 5;

    @Inject
    @ConfigProperty(name = "pomf.upload.in-flight-per-client", defaultValue = "16")
    int uploadsPerClient;

    @Inject
    @ConfigProperty(name = "pomf.delivery.in-flight-per-client", defaultValue = "128")
    int answersPerClient;

    @Inject
    @ConfigProperty(name = "pomf.in-flight-exempt", defaultValue = "127.0.0.0/8,::1")
    String exemptRanges;

    @Inject
    HttpSettings http;

    @Inject
    EdgeLink link;

    private ClientSlots uploads;
    private ClientSlots answers;
    private ClientAddress exempt;

    @PostConstruct
    void init() {
        uploads = new ClientSlots(uploadsPerClient);
        answers = new ClientSlots(answersPerClient);
        exempt = new ClientAddress(Arrays.stream(exemptRanges.split("[,\\s]+"))
                .filter(s -> !s.isBlank())
                .toList());
    }

    /** The bean itself rather than its client proxy, for the request path to call directly. */
    public InFlightCaps instance() {
        return this;
    }

    /**
     * A slot for an answer of a file, held until the answer ends ({@link Hold#leave} at the end of the dispatch);
     * null when the client has all of its answers in flight: then a 429 is written.
     */
    public Hold answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!answers.capped() || link.fetchedByAnEdge(request.getHeader(EdgeLink.FETCH_HEADER))) {
            return Hold.NONE;
        }
        ClientAddress addresses = http.clientAddress();
        String client = addresses.of(request);
        if (exempt.inRanges(client)) {
            return Hold.NONE;
        }
        Hold hold = Hold.take(answers, addresses.limitKey(client), request);
        if (hold == null) {
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
            response.setHeader("Cache-Control", "no-store");
            response.setContentType("text/plain; charset=UTF-8");
            response.getWriter()
                    .write("429 Too Many Requests: " + answers.cap() + " answers are in flight to your address.\n");
        }
        return hold;
    }

    /**
     * A slot for an upload from {@code client} (the resolved address), held until the upload ends; null when the
     * client has all of its uploads in flight.
     */
    public Hold upload(HttpServletRequest request, String client) {
        if (!uploads.capped() || exempt.inRanges(client)) {
            return Hold.NONE;
        }
        return Hold.take(uploads, http.clientAddress().limitKey(client), request);
    }

    public int uploadsPerClient() {
        return uploads.cap();
    }

    /** Clients with an upload in flight, and with an answer in flight (for metrics and tests). */
    public int uploadingClients() {
        return uploads.clients();
    }

    public int answeredClients() {
        return answers.clients();
    }
}
