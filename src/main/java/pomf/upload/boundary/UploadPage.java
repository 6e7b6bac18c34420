package pomf.upload.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import pomf.upload.control.Page;
import pomf.upload.control.PomfReply;
import pomf.upload.control.UploadSettings;

/**
 * The upload page. A plain form that posts to {@code /upload.php?output=html} works without JavaScript; with it,
 * {@code upload.js} sends each file on its own request with a progress bar and shows the links with copy buttons;
 * large files go by tus ({@code /api/v1/tus/}) in chunks, can be paused, and resume after a reload.
 */
@WebServlet(urlPatterns = "")
public class UploadPage extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String[][] EXPIRIES = {
        {"", "never"}, {"1h", "1 hour"}, {"1d", "1 day"}, {"7d", "7 days"}, {"30d", "30 days"}
    };

    @Inject
    UploadSettings settings;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String limit = mebibytes(settings.maxSize());
        StringBuilder body = new StringBuilder(2048)
                .append("<h1>pomf-ee</h1>\n<p class=\"tagline\">Upload files, get links. Up to ")
                .append(limit)
                .append(" per file.</p>\n")
                .append("<form id=\"upload-form\" method=\"post\" action=\"/upload.php?output=html\" ")
                .append("enctype=\"multipart/form-data\" data-max-size=\"")
                .append(settings.maxSize())
                .append("\" data-resumable-above=\"")
                .append(settings.pageResumableAbove())
                .append("\" data-chunk=\"")
                .append(settings.pageChunk())
                .append("\">\n")
                .append("<label class=\"drop\" id=\"drop\">Drop files here or <span class=\"pick\">choose files</span>")
                .append("<input type=\"file\" name=\"files[]\" id=\"files\" multiple></label>\n")
                .append(
                        "<p class=\"options\"><label for=\"expiry\">Delete after</label> <select name=\"expiry\" id=\"expiry\">");
        for (String[] option : EXPIRIES) {
            if (option[0].isEmpty()
                    && (!settings.expiryCap().isZero() || settings.retention().isPresent())) {
                continue;
            }
            body.append("<option value=\"")
                    .append(option[0])
                    .append("\">")
                    .append(option[1])
                    .append("</option>");
        }
        body.append("</select>\n<button type=\"submit\" id=\"send\">Upload</button></p>\n</form>\n")
                .append("<ul id=\"results\" class=\"results\"></ul>\n")
                .append("<section class=\"limits\"><h2>Limits</h2><ul>")
                .append("<li>Maximum size: ")
                .append(limit)
                .append(" per file</li>");
        if (settings.retention().isPresent()) {
            body.append("<li>Files are kept by size: up to ")
                    .append(describe(settings.expiryCap(0)))
                    .append(" for small files, ")
                    .append(describe(settings.expiryCap(settings.maxSize() / 2)))
                    .append(" at half the size limit, ")
                    .append(describe(settings.expiryCap(settings.maxSize())))
                    .append(" at the size limit</li>");
        } else if (!settings.expiryCap().isZero()) {
            body.append("<li>Files are deleted after at most ")
                    .append(describe(settings.expiryCap()))
                    .append("</li>");
        }
        body.append("<li>")
                .append(PomfReply.html(settings.policy().describe()))
                .append("</li>")
                .append("<li>Every upload gets a private deletion link: keep it.</li>")
                .append("<li>A file that breaks the law or the rules? <a href=\"/report\">Report it</a>.</li></ul>")
                .append("<p class=\"api\">API: <code>curl -F 'files[]=@file.mp4' ")
                .append(PomfReply.html(settings.serviceUrl("/upload.php")))
                .append("</code></p>")
                .append("<p class=\"api\">Resumable (tus 1.0): <code>")
                .append(PomfReply.html(settings.serviceUrl("/api/v1/tus/")))
                .append("</code>; this page sends files over ")
                .append(mebibytes(settings.pageResumableAbove()))
                .append(" that way, and picks up where it stopped if the same file is chosen again</p>")
                .append("<p class=\"api\">ShareX: <a href=\"/sharex.sxcu\" id=\"sharex\" download>")
                .append("download the uploader</a> and open it (ShareX 14 or later; images, text and files)</p>")
                .append("</section>");
        byte[] bytes =
                Page.render("pomf-ee", body.toString(), "/static/upload.js").getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/html; charset=UTF-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static String mebibytes(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        return Math.round(bytes / (1024.0 * 1024.0)) + " MiB";
    }

    private static String describe(Duration d) {
        return d.toDays() > 0
                ? d.toDays() + " day(s)"
                : d.toHours() > 0 ? d.toHours() + " hour(s)" : d.toMinutes() + " minute(s)";
    }
}
