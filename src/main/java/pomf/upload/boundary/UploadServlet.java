package pomf.upload.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.metrics.control.Traffic;
import pomf.upload.control.MalformedMultipartException;
import pomf.upload.control.PartHeaders;
import pomf.upload.control.PomfReply;
import pomf.upload.control.Publisher;
import pomf.upload.control.Receiver;
import pomf.upload.control.RequestBody;
import pomf.upload.control.UploadSettings;
import pomf.upload.entity.OutputFormat;
import pomf.upload.entity.UploadRejectedException;
import pomf.upload.entity.UploadedFile;

/**
 * Pomf's upload endpoint. A servlet rather than JAX-RS: the body is parsed as a stream, so a 1 GiB file never
 * sits in memory or in a container's temporary copy, and refusals (413, 415) happen while the body arrives.
 */
@WebServlet(urlPatterns = {"/upload.php", "/upload"})
public class UploadServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(UploadServlet.class.getName());

    @Inject
    UploadSettings settings;

    @Inject
    Receiver receiver;

    @Inject
    Publisher publisher;

    @Inject
    Traffic traffic;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<OutputFormat> format = format(request);
        response.setHeader("Allow", "POST");
        reply(response, format.orElse(OutputFormat.JSON), UploadRejectedException.noInput());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<OutputFormat> chosen = format(request);
        if (chosen.isEmpty()) {
            reply(
                    response,
                    OutputFormat.JSON,
                    new UploadRejectedException(
                            400, "Invalid response type. Valid options are: " + OutputFormat.VALID + "."));
            return;
        }
        OutputFormat format = chosen.get();
        String client = settings.clientAddress().resolve(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
        Receiver.Received received = null;
        try {
            checkRate(client);
            String boundary = boundary(request.getContentType());
            long length = request.getContentLengthLong();
            if (length > settings.maxRequestSize()) {
                throw UploadRejectedException.tooLarge(settings.maxSize());
            }
            received = receiver.receive(request.getInputStream(), boundary);
            if (received.files().isEmpty()) {
                throw UploadRejectedException.noInput();
            }
            List<UploadedFile> files = publisher.publish(received, client);
            write(response, 200, format, PomfReply.success(format, files));
        } catch (UploadRejectedException e) {
            if (e.status() >= 500) {
                LOG.log(Level.WARNING, "upload from " + client + " failed: " + e.getMessage(), e.getCause());
            }
            reply(response, format, e);
        } catch (MalformedMultipartException e) {
            reply(response, format, new UploadRejectedException(400, e.getMessage()));
        } catch (RequestBody.ClientGoneException e) {
            LOG.fine(() -> "upload from " + client + " abandoned: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "upload from " + client + " failed", e);
            reply(response, format, new UploadRejectedException(500, "Internal server error."));
        } finally {
            if (received != null) {
                received.discard();
            }
        }
    }

    private void checkRate(String client) {
        settings.limiter().ifPresent(limiter -> {
            long wait = limiter.acquire(client, System.nanoTime());
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
                    value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
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

    private void reply(HttpServletResponse response, OutputFormat format, UploadRejectedException e)
            throws IOException {
        traffic.refused(e.status());
        if (e.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        // The rest of the body (if any) is not worth reading: the connection closes after the answer.
        response.setHeader("Connection", "close");
        write(response, e.status(), format, PomfReply.error(format, e.status(), e.getMessage()));
    }

    private static void write(HttpServletResponse response, int status, OutputFormat format, String body)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(format.contentType());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
