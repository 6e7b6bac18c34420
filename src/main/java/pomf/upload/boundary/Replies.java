package pomf.upload.boundary;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import pomf.metrics.control.Traffic;
import pomf.upload.control.PomfReply;
import pomf.upload.entity.OutputFormat;
import pomf.upload.entity.UploadRejectedException;

/** Writes the upload endpoint's answers: a Pomf body in the client's format, refusals with their status. */
final class Replies {
    private Replies() {}

    static void refuse(HttpServletResponse response, OutputFormat format, UploadRejectedException e, Traffic traffic)
            throws IOException {
        traffic.refused(e.status());
        if (response.isCommitted()) {
            return;
        }
        if (e.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        // The rest of the body (if any) is not worth reading: the connection closes after the answer.
        response.setHeader("Connection", "close");
        write(response, e.status(), format, PomfReply.error(format, e.status(), e.getMessage()));
    }

    static void write(HttpServletResponse response, int status, OutputFormat format, String body) throws IOException {
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
