package pomf.http.control;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Conditional request rules (RFC 9110) for an immutable file with a strong ETag and a modification time. */
public record Conditional(String etag, long modifiedMillis) {

    /** 304 when If-None-Match matches, or, without it, when the copy is not older than the file. */
    public boolean notModified(String ifNoneMatch, long ifModifiedSince) {
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        return ifModifiedSince >= 0 && Math.floorDiv(modifiedMillis, 1000) <= Math.floorDiv(ifModifiedSince, 1000);
    }

    /** A Range applies unless If-Range names another version (strong ETag comparison, or an exact date). */
    public boolean rangeApplies(String ifRange) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        try {
            long date = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant()
                    .toEpochMilli();
            // HTTP dates are whole seconds: floored, so that a time before 1970 keeps its own second.
            return Math.floorDiv(date, 1000) == Math.floorDiv(modifiedMillis, 1000);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
