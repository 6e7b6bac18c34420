package pomf.edge.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the checker reads beside the bytes: the headers that describe a body (Content-Length, Content-Type,
 * Last-Modified) against the version they claim, and the signs of the WAR's error page in an answer.
 */
final class BodyHeaders {
    private BodyHeaders() {}

    /** What is wrong with the headers that describe a body of {@code expected} bytes of {@code version}, or null. */
    static String problem(WireAnswer answer, Version version, long expected) {
        String length = answer.header("content-length");
        if (length != null && !length.equals(Long.toString(expected))) {
            return "Content-Length " + length + ", expected " + expected;
        }
        String type = answer.header("content-type");
        if (type == null || !media(type).equals(media(version.contentType()))) {
            return "Content-Type " + type + ", expected " + version.contentType();
        }
        String modified = answer.header("last-modified");
        if (modified == null || !version.lastModified().equals(date(modified))) {
            return "Last-Modified " + modified + ", expected " + version.lastModified();
        }
        return null;
    }

    /**
     * Whether the error page is in the answer: as its body (text/html, markup), as the entity its Content-Range
     * measures (".../281"), or spliced into the object's bytes where they start to differ.
     */
    static boolean showsErrorPage(WireAnswer answer, BodyMatch body, byte[] errorPage) {
        String start = new String(body.prefix(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        byte[] spliced = body.fromDifference();
        int n = Math.min(spliced.length, errorPage.length);
        return start.contains("<html")
                || start.contains("<!doctype")
                || media(answer.headers().getOrDefault("content-type", "")).equals("text/html")
                || answer.headers().getOrDefault("content-range", "").contains("/" + errorPage.length)
                || (n >= 2 && Arrays.equals(spliced, 0, n, errorPage, 0, n));
    }

    private static String media(String type) {
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static Instant date(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
