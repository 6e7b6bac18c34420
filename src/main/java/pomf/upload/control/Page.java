package pomf.upload.control;

/** The HTML frame shared by the public pages (upload, deletion): one stylesheet, no inline script or style. */
public final class Page {
    private Page() {}

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
