package pomf.it.origin;

import com.sun.net.httpserver.Headers;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP rules of {@link TestOrigin}: conditionals and single byte ranges, as FileServlet (the real origin) applies
 * them. Written separately from the main code on purpose: the origin an edge is tested against must not share the
 * edge's or the servlet's bugs.
 */
final class TestOriginRules {
    /** RFC 9110 IMF-fixdate; RFC_1123_DATE_TIME would print one-digit days, which HTTP does not allow. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private static final Pattern RANGE =
            Pattern.compile("bytes\\s*=\\s*(\\d{0,19})\\s*-\\s*(\\d{0,19})", Pattern.CASE_INSENSITIVE);

    private TestOriginRules() {}

    static String httpDate(Instant instant) {
        return HTTP_DATE.format(instant);
    }

    /** If-None-Match (any listed tag, weakly compared, or *) wins; without it, If-Modified-Since. */
    static boolean notModified(TestOriginObject.Version version, Headers request) {
        String ifNoneMatch = request.getFirst("If-None-Match");
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || (version.etag() != null && weak(t).equals(weak(version.etag())))) {
                    return true;
                }
            }
            return false;
        }
        Instant since = date(request.getFirst("If-Modified-Since"));
        return since != null
                && version.lastModified() != null
                && !version.lastModified().isAfter(since);
    }

    /** A Range applies unless If-Range names another version (strong ETag comparison, or an exact date). */
    static boolean rangeApplies(TestOriginObject.Version version, String ifRange) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(version.etag()) && !value.startsWith("W/");
        }
        Instant date = date(value);
        return date != null && date.equals(version.lastModified());
    }

    /** {start, end} of a single satisfiable range; {} when unsatisfiable (416); null to send the whole body. */
    static long[] span(String range, long size) {
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        if (m.group(1).isEmpty()) {
            long suffix = number(m.group(2));
            return suffix == 0 || size == 0 ? new long[0] : new long[] {Math.max(0, size - suffix), size - 1};
        }
        long start = number(m.group(1));
        long end = m.group(2).isEmpty() ? Long.MAX_VALUE : number(m.group(2));
        if (end < start) {
            return null;
        }
        return start >= size ? new long[0] : new long[] {start, Math.min(end, size - 1)};
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static long number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** An HTTP date, or null when absent or malformed (ignored, as servers do). */
    private static Instant date(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
