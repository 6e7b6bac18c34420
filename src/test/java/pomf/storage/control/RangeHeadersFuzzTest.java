package pomf.storage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import pomf.http.control.ByteRange;
import pomf.http.control.Conditional;

/**
 * Coverage-guided fuzzing of the headers a viewer sends with a file request (issue 14, hostile clients):
 * {@code Range}, {@code If-None-Match}, {@code If-Modified-Since} and {@code If-Range}, decided as the origin's
 * {@code FileServlet} and the edge's {@code CachedResponse} do (304, then 416, 206 or 200). A header is built by the
 * fuzzer from the grammar's pieces (units, digits up to and past 19, whitespace, dashes, commas) or is raw text.
 * Nothing may throw; a 206 lies within the file and is never empty; a 416 and a 206 are what a reference written
 * here from RFC 9110 with exact (BigInteger) arithmetic says, and the same header is ignored (200) or not whatever
 * the file's size; a larger file never turns a 206 into a 416.
 */
class RangeHeadersFuzzTest {
    private static final String[] PIECES = {
        "bytes",
        "BYTES",
        "=",
        "-",
        ",",
        " ",
        "\t",
        "0",
        "1",
        "9",
        "00",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "99999999999999999999",
        "bytes=",
        "items=",
        "\r\n",
        ";",
        "\"",
        "W/"
    };

    @FuzzTest(maxDuration = "10s")
    void decisionsFollowTheRfc(FuzzedDataProvider data) {
        long size = data.pickValue(
                new long[] {0, 1, 2, 1023, 1 << 20, Long.MAX_VALUE, data.consumeLong(0, Long.MAX_VALUE)});
        String range = header(data);
        String sha = Long.toHexString(data.consumeLong());
        String etag = "\"" + sha + "\"";
        long modified = data.consumeLong(-2_000_000_000_000L, 253_402_300_799_000L); // up to 9999-12-31
        String ifNoneMatch =
                data.consumeBoolean() ? null : pick(data, new String[] {etag, "W/" + etag, "*", header(data)});
        long ifModifiedSince = data.consumeLong(-1, 253_402_300_799_000L);
        String modifiedText = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(modified).atOffset(ZoneOffset.UTC));
        String ifRange =
                data.consumeBoolean() ? null : pick(data, new String[] {etag, "W/" + etag, modifiedText, header(data)});

        ByteRange.Outcome outcome = ByteRange.evaluate(range, size);
        String expected = Reference.outcome(range, size);
        assertEquals(expected, describe(outcome), () -> "Range: " + range + " on " + size + " bytes");
        if (outcome instanceof ByteRange.Partial partial) {
            ByteRange r = partial.range();
            assertTrue(0 <= r.start() && r.start() <= r.end() && r.end() < size && r.length() > 0, r::toString);
        }
        long other = data.consumeLong(0, Long.MAX_VALUE);
        ByteRange.Outcome elsewhere = ByteRange.evaluate(range, other);
        assertEquals(
                outcome instanceof ByteRange.Whole,
                elsewhere instanceof ByteRange.Whole,
                () -> "Range: " + range + " is ignored on " + size + " bytes or on " + other + ", not both");
        if (other > size && outcome instanceof ByteRange.Partial) {
            assertTrue(elsewhere instanceof ByteRange.Partial, () -> "Range: " + range + " grew unsatisfiable");
        }

        Conditional conditional = new Conditional(etag, modified);
        boolean notModified = conditional.notModified(ifNoneMatch, ifModifiedSince);
        boolean rangeApplies = conditional.rangeApplies(ifRange);
        assertEquals(Reference.notModified(etag, modified, ifNoneMatch, ifModifiedSince), notModified, "304");
        if (ifRange != null && (ifRange.strip().equals(etag) || ifRange.strip().equals(modifiedText))) {
            assertTrue(rangeApplies, () -> "If-Range: " + ifRange + " names this version");
        }
        if (ifRange != null && ifRange.strip().startsWith("W/")) {
            assertTrue(!rangeApplies, () -> "If-Range: " + ifRange + " is weak: never a strong match");
        }
    }

    private static String header(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            return data.consumeString(40);
        }
        StringBuilder text = new StringBuilder();
        for (int p = data.consumeInt(0, 12); p > 0; p--) {
            text.append(
                    data.consumeBoolean()
                            ? PIECES[data.consumeInt(0, PIECES.length - 1)]
                            : data.consumeLong(0, Long.MAX_VALUE));
        }
        return text.toString();
    }

    private static String pick(FuzzedDataProvider data, String[] values) {
        return values[data.consumeInt(0, values.length - 1)];
    }

    private static String describe(ByteRange.Outcome outcome) {
        if (outcome instanceof ByteRange.Partial p) {
            return "206 " + p.range().start() + "-" + p.range().end();
        }
        return outcome instanceof ByteRange.Unsatisfiable ? "416" : "200";
    }

    /**
     * RFC 9110's rules in exact arithmetic: a single {@code bytes=first-[last]} or {@code bytes=-suffix} (the syntax
     * the service accepts: "bytes" in any case, optional whitespace around the tokens, at most 19 digits a number);
     * an invalid or other range is ignored (200); unsatisfiable when the first byte is past the end, or the suffix
     * is empty, or the file is.
     */
    static final class Reference {
        private Reference() {}

        static String outcome(String header, long size) {
            if (header == null) {
                return "200";
            }
            Scanner s = new Scanner(header);
            if (!s.word("bytes")) {
                return "200";
            }
            s.spaces();
            if (!s.take('=')) {
                return "200";
            }
            s.spaces();
            String first = s.digits();
            s.spaces();
            if (first == null || !s.take('-')) {
                return "200";
            }
            s.spaces();
            String last = s.digits();
            s.spaces();
            if (last == null || !s.atEnd() || (first.isEmpty() && last.isEmpty())) {
                return "200";
            }
            BigInteger n = BigInteger.valueOf(size);
            if (first.isEmpty()) {
                BigInteger suffix = new BigInteger(last);
                if (suffix.signum() == 0 || size == 0) {
                    return "416";
                }
                return "206 " + n.subtract(suffix).max(BigInteger.ZERO) + "-" + (size - 1);
            }
            BigInteger start = new BigInteger(first);
            BigInteger end = last.isEmpty() ? null : new BigInteger(last);
            if (end != null && end.compareTo(start) < 0) {
                return "200";
            }
            if (start.compareTo(n) >= 0) {
                return "416";
            }
            BigInteger lastByte = n.subtract(BigInteger.ONE);
            return "206 " + start + "-" + (end == null ? lastByte : end.min(lastByte));
        }

        /** If-None-Match (weak comparison, "*"), else If-Modified-Since to the second. */
        static boolean notModified(String etag, long modified, String ifNoneMatch, long ifModifiedSince) {
            if (ifNoneMatch != null) {
                for (String tag : ifNoneMatch.split(",", -1)) {
                    // trim(), as the service does: control characters around a tag are dropped like spaces, a
                    // harmless leniency (a client that pads the right tag with them gets its 304).
                    String t = tag.trim();
                    if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                        return true;
                    }
                }
                return false;
            }
            return ifModifiedSince >= 0 && Math.floorDiv(modified, 1000) <= Math.floorDiv(ifModifiedSince, 1000);
        }
    }

    /** A cursor over a header, ASCII rules only (as HTTP's). */
    private static final class Scanner {
        private final String text;
        private int i;

        Scanner(String text) {
            this.text = text;
        }

        boolean word(String w) {
            if (text.length() - i < w.length()) {
                return false;
            }
            for (int k = 0; k < w.length(); k++) {
                char c = text.charAt(i + k);
                char lower = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
                if (lower != w.charAt(k)) {
                    return false;
                }
            }
            i += w.length();
            return true;
        }

        void spaces() {
            while (i < text.length() && " \t\n\u000B\f\r".indexOf(text.charAt(i)) >= 0) {
                i++;
            }
        }

        boolean take(char c) {
            if (i < text.length() && text.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        /** Up to 19 ASCII digits; null when more follow. */
        String digits() {
            int from = i;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            return i - from > 19 ? null : text.substring(from, i);
        }

        boolean atEnd() {
            return i == text.length();
        }
    }
}
