package pomf.upload.control;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import pomf.csv.control.Csv;
import pomf.upload.entity.OutputFormat;
import pomf.upload.entity.UploadedFile;

/** The bodies of Pomf's five output formats, for success and for errors; every value escaped for its format. */
public final class PomfReply {

    private PomfReply() {}

    public static String success(OutputFormat format, List<UploadedFile> files) {
        StringBuilder out = new StringBuilder();
        switch (format) {
            case JSON -> {
                out.append("{\"success\":true,\"files\":[");
                for (int i = 0; i < files.size(); i++) {
                    UploadedFile f = files.get(i);
                    out.append(i == 0 ? "{" : ",{")
                            .append("\"hash\":")
                            .append(json(f.sha1()))
                            .append(",\"name\":")
                            .append(json(f.originalName()))
                            .append(",\"url\":")
                            .append(json(f.url()))
                            .append(",\"size\":")
                            .append(f.size())
                            .append(",\"delete_url\":")
                            .append(json(f.deleteUrl()));
                    if (f.expiresAt() != null) {
                        out.append(",\"expires\":")
                                .append(json(DateTimeFormatter.ISO_INSTANT.format(
                                        f.expiresAt().withNano(0).toInstant(ZoneOffset.UTC))));
                    }
                    if (f.maxDownloads() != null) {
                        out.append(",\"max_downloads\":").append(f.maxDownloads());
                    }
                    out.append('}');
                }
                out.append("]}");
            }
            case TEXT, GYAZO -> files.forEach(f -> out.append(f.url()).append('\n'));
            case CSV -> {
                out.append("\"name\",\"url\",\"hash\",\"size\"\r\n");
                files.forEach(f -> out.append(Csv.quoted(f.originalName()))
                        .append(',')
                        .append(Csv.quoted(f.url()))
                        .append(',')
                        .append(Csv.quoted(f.sha1()))
                        .append(',')
                        .append(Csv.quoted(Long.toString(f.size())))
                        .append("\r\n"));
            }
            case HTML ->
                files.forEach(f -> out.append("<a href=\"")
                        .append(html(f.url()))
                        .append("\">")
                        .append(html(f.url()))
                        .append("</a><br>"));
        }
        return out.toString();
    }

    public static String error(OutputFormat format, int status, String description) {
        return switch (format) {
            case JSON -> "{\"success\":false,\"errorcode\":" + status + ",\"description\":" + json(description) + "}";
            case TEXT, GYAZO -> "ERROR: (" + status + ") " + description;
            case CSV -> "\"error\"\r\n" + Csv.quoted(description) + "\r\n";
            case HTML -> "<p>ERROR: (" + status + ") " + html(description) + "</p>";
        };
    }

    public static String json(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // < > & escaped too, so a name can never close a script block where the JSON is embedded.
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    public static String html(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
