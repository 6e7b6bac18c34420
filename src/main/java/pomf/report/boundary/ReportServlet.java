package pomf.report.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.http.control.RateLimiter;
import pomf.names.control.StoredNames;
import pomf.registry.boundary.Registry;
import pomf.registry.entity.StoredFile;
import pomf.review.boundary.ReviewQueue;
import pomf.upload.control.Page;
import pomf.upload.control.PomfReply;
import pomf.upload.control.UploadSettings;

/**
 * {@code /report}: anyone may report a file (its URL or stored name, a reason, optional details and a contact). A
 * report goes to the admins' review queue; nothing is taken down by a report alone. Each address may send {@code
 * pomf.report.per-hour} reports an hour on average, {@code pomf.report.burst} at once (an IPv6 client's /64 counts as
 * one): a per-address limit rather than a third-party captcha, which would send every reporter's address to a third
 * party. Answers HTML to a browser's form, JSON to a client that asks for it ({@code Accept: application/json} or
 * {@code ?output=json}).
 */
@WebServlet(urlPatterns = "/report")
public class ReportServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ReportServlet.class.getName());
    static final int MAX_DETAILS = 2000;
    static final int MAX_CONTACT = 200;
    private static final Map<String, String> REASONS = new TreeMap<>(Map.of(
            "illegal", "Illegal content",
            "child_abuse", "Child sexual abuse material",
            "copyright", "Copyright infringement",
            "malware", "Malware or phishing",
            "harassment", "Harassment or private information",
            "spam", "Spam",
            "other", "Something else"));

    @Inject
    Registry registry;

    @Inject
    ReviewQueue queue;

    @Inject
    UploadSettings settings;

    @Inject
    @ConfigProperty(name = "pomf.report.per-hour", defaultValue = "10")
    int perHour;

    @Inject
    @ConfigProperty(name = "pomf.report.burst", defaultValue = "5")
    int burst;

    private transient RateLimiter limiter;

    @Override
    public void init() {
        limiter = RateLimiter.perHour(perHour, burst);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String url = Optional.ofNullable(request.getParameter("url")).orElse("");
        page(response, 200, "Report a file", form(url.length() > 500 ? "" : url, ""));
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean json = wantsJson(request);
        String client = settings.clientAddress().of(request);
        long wait = limiter.acquire(settings.clientAddress().limitKey(client), System.nanoTime());
        if (wait > 0) {
            response.setHeader("Retry-After", Long.toString(wait));
            refuse(response, json, 429, "Too many reports from your address: try again in " + wait + " s.", request);
            return;
        }
        String url = trimmed(request.getParameter("url"));
        String reason = trimmed(request.getParameter("reason")).toLowerCase(Locale.ROOT);
        String details = trimmed(request.getParameter("details"));
        String contact = trimmed(request.getParameter("contact"));
        Optional<String> name = storedName(url);
        if (name.isEmpty()) {
            refuse(
                    response,
                    json,
                    400,
                    "Give the file's address (its link, e.g. " + settings.fileUrl("abcdef.mp4") + ").",
                    request);
            return;
        }
        if (!REASONS.containsKey(reason)) {
            refuse(response, json, 400, "Choose a reason: " + String.join(", ", REASONS.keySet()) + ".", request);
            return;
        }
        if (details.length() > MAX_DETAILS || contact.length() > MAX_CONTACT) {
            refuse(
                    response,
                    json,
                    400,
                    "Details are limited to " + MAX_DETAILS + " characters, a contact to " + MAX_CONTACT + ".",
                    request);
            return;
        }
        Optional<StoredFile> file = registry.byName(name.get());
        if (file.isEmpty()) {
            refuse(response, json, 404, "There is no file at this address (it may be deleted already).", request);
            return;
        }
        String answer;
        if (file.get().isBanned()) {
            answer = "This file is taken down already. Thank you.";
        } else {
            long id = queue.report(
                    file.get().getName(),
                    file.get().getSha256(),
                    reason,
                    details,
                    contact.isEmpty() ? null : contact,
                    client);
            LOG.info(() -> "report " + id + " of " + file.get().getName() + " (" + reason + ")");
            answer = "Thank you: your report is in the moderators' queue.";
        }
        if (json) {
            answer(
                    response,
                    200,
                    "application/json; charset=UTF-8",
                    Json.createObjectBuilder()
                            .add("success", true)
                            .add("description", answer)
                            .build()
                            .toString());
        } else {
            page(
                    response,
                    200,
                    "Report received",
                    "<h1>Report received</h1><p>" + PomfReply.html(answer)
                            + "</p><p><a href=\"/\">Back to the upload page</a></p>");
        }
    }

    /** The stored name in a file's link ({@code https://host/f/abc.mp4}, {@code /f/abc.mp4}) or a bare name. */
    static Optional<String> storedName(String url) {
        if (url.isEmpty() || url.length() > 500) {
            return Optional.empty();
        }
        String path;
        try {
            URI uri = URI.create(url.contains("/") ? url : "/f/" + url);
            path = uri.getRawPath();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (path == null) {
            return Optional.empty();
        }
        int slash = path.lastIndexOf('/');
        return Optional.ofNullable(StoredNames.fromPath(path.substring(slash)));
    }

    private void refuse(
            HttpServletResponse response, boolean json, int status, String message, HttpServletRequest request)
            throws IOException {
        if (json) {
            answer(
                    response,
                    status,
                    "application/json; charset=UTF-8",
                    Json.createObjectBuilder()
                            .add("success", false)
                            .add("errorcode", status)
                            .add("description", message)
                            .build()
                            .toString());
        } else {
            page(
                    response,
                    status,
                    "Report not sent",
                    "<p class=\"error\">" + PomfReply.html(message) + "</p>"
                            + form(trimmed(request.getParameter("url")), trimmed(request.getParameter("reason"))));
        }
    }

    private static String form(String url, String reason) {
        StringBuilder form = new StringBuilder(2048)
                .append("<h1>Report a file</h1>")
                .append("<p>Tell the moderators about a file that breaks the law or the rules. Reports are read by")
                .append(" people; nothing is removed automatically.</p>")
                .append("<form method=\"post\" action=\"/report\" class=\"report\">")
                .append(
                        "<p><label>The file's link <input type=\"text\" name=\"url\" required maxlength=\"500\" value=\"")
                .append(PomfReply.html(url.length() > 500 ? "" : url))
                .append("\"></label></p><p><label>Reason <select name=\"reason\" required>");
        REASONS.forEach((key, label) -> form.append("<option value=\"")
                .append(key)
                .append(key.equals(reason) ? "\" selected>" : "\">")
                .append(PomfReply.html(label))
                .append("</option>"));
        return form.append("</select></label></p>")
                .append("<p><label>Details (optional) <textarea name=\"details\" maxlength=\"")
                .append(MAX_DETAILS)
                .append("\" rows=\"5\"></textarea></label></p>")
                .append(
                        "<p><label>Your contact, if we may ask you more (optional) <input type=\"text\" name=\"contact\"")
                .append(" maxlength=\"")
                .append(MAX_CONTACT)
                .append("\"></label></p><p><button type=\"submit\">Send the report</button></p></form>")
                .toString();
    }

    private static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return "json".equals(request.getParameter("output"))
                || (accept != null && accept.contains("application/json") && !accept.contains("text/html"));
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }

    private static void page(HttpServletResponse response, int status, String title, String body) throws IOException {
        answer(response, status, "text/html; charset=UTF-8", Page.render(title, body));
    }

    private static void answer(HttpServletResponse response, int status, String type, String body) throws IOException {
        Page.send(response, status, type, body);
    }
}
