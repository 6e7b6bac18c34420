package pomf.upload.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.blocks.control.BlockList;
import pomf.caps.boundary.Hold;
import pomf.caps.boundary.InFlightCaps;
import pomf.metrics.control.Traffic;
import pomf.upload.control.MalformedMultipartException;
import pomf.upload.control.PartHeaders;
import pomf.upload.control.Receiver;
import pomf.upload.control.Reception;
import pomf.upload.control.UploadSettings;
import pomf.upload.entity.OutputFormat;
import pomf.upload.entity.UploadRejectedException;

/**
 * Pomf's upload endpoint. A servlet rather than JAX-RS: the body is parsed as it arrives, so a 1 GiB file never
 * sits in memory or in a container's temporary copy, and refusals (413, 415) happen while the body arrives. What
 * can be decided from the headers is decided here; the body is then read with non-blocking I/O
 * ({@link UploadInFlight}), so a slow client holds no request thread.
 */
@WebServlet(
        urlPatterns = {"/upload.php", "/upload"},
        asyncSupported = true)
public class UploadServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(UploadServlet.class.getName());

    @Inject
    UploadSettings settings;

    @Inject
    BlockList blocks;

    @Inject
    Receiver receiver;

    @Inject
    UploadsInFlight uploads;

    @Inject
    Traffic traffic;

    @Inject
    InFlightCaps caps;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<OutputFormat> format = format(request);
        response.setHeader("Allow", "POST");
        Replies.refuse(response, format.orElse(OutputFormat.JSON), UploadRejectedException.noInput(), traffic);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<OutputFormat> chosen = format(request);
        if (chosen.isEmpty()) {
            Replies.refuse(
                    response,
                    OutputFormat.JSON,
                    new UploadRejectedException(
                            400, "Invalid response type. Valid options are: " + OutputFormat.VALID + "."),
                    traffic);
            return;
        }
        OutputFormat format = chosen.get();
        String client = settings.clientAddress().of(request);
        Hold hold = caps.upload(request, client);
        if (hold == null) {
            // Before the rate limit: a refused upload does not use up one of the client's uploads a minute.
            Replies.refuse(
                    response,
                    format,
                    new UploadRejectedException(
                            429,
                            "Too many uploads in flight from your address (at most " + caps.uploadsPerClient()
                                    + " at once).",
                            InFlightCaps.RETRY_AFTER_SECONDS,
                            null),
                    traffic);
            return;
        }
        Reception reception = null;
        try {
            if (blocks.refuses(client)) {
                throw UploadRejectedException.blocked();
            }
            checkRate(client);
            String boundary = boundary(request.getContentType());
            long length = request.getContentLengthLong();
            if (length > settings.maxRequestSize()) {
                throw UploadRejectedException.tooLarge(settings.maxSize());
            }
            reception = receiver.begin(boundary);
            uploads.start(request, response, reception, format, client);
        } catch (UploadRejectedException e) {
            Replies.refuse(response, format, e, traffic);
        } catch (MalformedMultipartException e) {
            Replies.refuse(response, format, new UploadRejectedException(400, e.getMessage()), traffic);
        } catch (RuntimeException e) {
            // e.g. a filter in front of this servlet that does not support asynchronous requests
            LOG.log(Level.SEVERE, "upload from " + client + " could not start", e);
            if (reception != null) {
                reception.discard();
            }
            Replies.refuse(response, format, new UploadRejectedException(500, "Internal server error."), traffic);
        } finally {
            hold.leave();
        }
    }

    private void checkRate(String client) {
        settings.limiter().ifPresent(limiter -> {
            long wait = limiter.acquire(settings.clientAddress().limitKey(client), System.nanoTime());
            if (wait > 0) {
                throw new UploadRejectedException(429, "Rate limit exceeded.", wait, null);
            }
        });
    }

    /** The output format from the query string only: reading form parameters would consume the body. */
    private static Optional<OutputFormat> format(HttpServletRequest request) {
        String query = request.getQueryString();
        String value = null;
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (key.equals("output")) {
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return OutputFormat.parse(value);
    }

    private static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw UploadRejectedException.noInput();
        }
        String boundary = PartHeaders.boundaryOf(contentType);
        if (boundary == null) {
            throw new MalformedMultipartException("The multipart boundary is missing or invalid.");
        }
        return boundary;
    }
}
