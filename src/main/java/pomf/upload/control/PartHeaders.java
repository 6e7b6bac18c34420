package pomf.upload.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The headers of one multipart part: the field name, the client's file name (null when the part is not a file),
 * and the declared content type (informational only: types are detected from the bytes).
 */
public record PartHeaders(String name, String filename, String contentType) {

    public boolean isFile() {
        return filename != null;
    }

    static PartHeaders parse(byte[] block) {
        // Browsers and curl send names as UTF-8; a client sending ISO-8859-1 gets replacement characters, not a fault.
        String text = new String(block, StandardCharsets.UTF_8);
        String disposition = null;
        String contentType = null;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                disposition = value;
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (disposition == null) {
            throw new MalformedMultipartException("A part has no Content-Disposition header.");
        }
        Map<String, String> params = parameters(disposition);
        String filename = params.containsKey("filename*") ? extended(params.get("filename*")) : params.get("filename");
        return new PartHeaders(params.getOrDefault("name", ""), filename, contentType);
    }

    /** The boundary parameter of a {@code multipart/form-data} content type, or null. */
    public static String boundaryOf(String contentType) {
        String boundary = parameters(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MultipartParser.MAX_BOUNDARY) {
            return null;
        }
        return boundary;
    }

    /** Parses {@code form-data; name="x"; filename="y"}, honouring quoted strings. */
    static Map<String, String> parameters(String header) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            i++;
            while (i < header.length() && header.charAt(i) == ' ') {
                i++;
            }
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            int semicolon = header.indexOf(';', i);
            if (semicolon >= 0 && semicolon < eq) {
                // A parameter without a value ("form-data; foo; name=x"): skip it, not the next one.
                i = semicolon;
                continue;
            }
            String key = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            if (j < header.length() && header.charAt(j) == '"') {
                j++;
                while (j < header.length() && header.charAt(j) != '"') {
                    char c = header.charAt(j);
                    // Only \" and \\ are escapes: Windows paths such as C:\dir\a.txt keep their backslashes.
                    if (c == '\\'
                            && j + 1 < header.length()
                            && (header.charAt(j + 1) == '"' || header.charAt(j + 1) == '\\')) {
                        j++;
                        c = header.charAt(j);
                    }
                    value.append(c);
                    j++;
                }
                j++;
            } else {
                while (j < header.length() && header.charAt(j) != ';') {
                    value.append(header.charAt(j));
                    j++;
                }
            }
            params.putIfAbsent(
                    key,
                    key.equals("filename") || key.equals("name")
                            ? value.toString()
                            : value.toString().trim());
            i = header.indexOf(';', j);
        }
        return params;
    }

    /** RFC 5987 {@code UTF-8''percent%20encoded}, or with a language tag: {@code UTF-8'en'percent%20encoded}. */
    private static String extended(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        String encoded = second >= 0 ? value.substring(second + 1) : value;
        try {
            return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return encoded;
        }
    }
}
