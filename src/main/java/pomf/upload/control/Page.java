package pomf.upload.control;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The HTML frame shared by the public pages (upload, deletion, report): one stylesheet, no inline script or style;
 * and how their answers are sent.
 */
public final class Page {
    private Page() {}

    /**
     * Sends a public page's answer (or its JSON twin): never stored, never sniffed, no referrer, nothing loaded from
     * elsewhere and no framing.
     */
    public static void send(HttpServletResponse response, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    public static String render(String title, String body, String... scripts) {
        StringBuilder page = new StringBuilder(2048)
                .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(PomfReply.html(title))
                .append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/static/pomf.css\">\n");
        for (String script : scripts) {
            page.append("<script src=\"").append(PomfReply.html(script)).append("\" defer></script>\n");
        }
        return page.append("</head>\n<body>\n<main>\n")
                .append(body)
                .append("\n</main>\n</body>\n</html>\n")
                .toString();
    }
}
