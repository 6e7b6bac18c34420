package pomf.upload.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Coverage-guided fuzzing of the upload's multipart reader (issue 14, hostile clients). A client chooses every byte
 * of the body and, through its network, how the body is cut into the slices the parser is fed. The fuzzer builds
 * bodies from the pieces that matter (delimiters whole and cut short, "--", CRLFs, padding, header lines, runs long
 * enough to pass the header limit, raw bytes), picks a boundary (up to and past the 70-character cap) and a slicing.
 * Each body is parsed three ways that must agree to the byte: by a plain whole-body reference written here from
 * RFC 2046 and the parser's documented rules, by the parser fed everything at once, and by the parser fed the
 * fuzzer's slices, each slice lent in a fresh array at an odd offset and overwritten after the call (the parser may
 * keep nothing of it). Bad input may end only in {@link MalformedMultipartException}, with the same message and the
 * same completed parts in all three; any other exception, or a handler event out of order, is a finding.
 */
class MultipartParserFuzzTest {
    private static final String[] BOUNDARIES = {
        "b", "boundary", "-", "--", "aaaa", "abab", "ab-ab-ab", "a".repeat(70), "ab".repeat(35), "x".repeat(71), ""
    };
    private static final byte[][] HEADER_LINES = {
        ascii("Content-Disposition: form-data; name=\"files[]\"; filename=\"a.txt\"\r\n"),
        ascii("Content-Disposition: form-data; name=\"field\"\r\n"),
        ascii("content-disposition:form-data;filename*=UTF-8''%E2%82%AC.bin;name=f\r\n"),
        ascii("Content-Type: application/octet-stream\r\n"),
        ascii("Content-Disposition: form-data; name=\"a\\\"b\"; filename=\"C:\\dir\\x\"\r\n"),
        ascii("X: y\r\n"),
    };

    @FuzzTest(maxDuration = "10s")
    void slicesNeverChangeWhatIsRead(FuzzedDataProvider data) {
        String boundary =
                data.consumeBoolean() ? BOUNDARIES[data.consumeInt(0, BOUNDARIES.length - 1)] : data.consumeString(72);
        byte[] body = body(data, boundary);
        List<Integer> slices = new ArrayList<>();
        int count = data.consumeInt(0, 48);
        for (int s = 0; s < count; s++) {
            slices.add(data.consumeInt(1, 5000));
        }

        String expected = Reference.read(body, boundary);
        assertEquals(expected, incremental(body, boundary, List.of()), "fed whole");
        assertEquals(expected, incremental(body, boundary, slices), "fed in slices " + slices);
    }

    /** A body of pieces the fuzzer picks: what a hostile client would try against a delimiter search. */
    private static byte[] body(FuzzedDataProvider data, String boundary) {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = data.consumeInt(0, 40);
        for (int p = 0; p < pieces && data.remainingBytes() > 0; p++) {
            switch (data.consumeInt(0, 10)) {
                case 0 -> out.writeBytes(delimiter);
                case 1 -> out.writeBytes(Arrays.copyOfRange(delimiter, 2, delimiter.length));
                case 2 -> out.writeBytes(Arrays.copyOf(delimiter, data.consumeInt(1, delimiter.length - 1)));
                case 3 -> out.writeBytes(ascii("--"));
                case 4 -> out.writeBytes(ascii("\r\n"));
                case 5 -> out.writeBytes(ascii(data.consumeBoolean() ? " \t " : "\r\n\r\n"));
                case 6 -> out.writeBytes(HEADER_LINES[data.consumeInt(0, HEADER_LINES.length - 1)]);
                case 7 -> {
                    // A long run: past the 16 KiB header limit, or a large part.
                    byte[] run = new byte[data.consumeInt(1, MultipartParser.MAX_HEADER_BYTES + 8)];
                    Arrays.fill(run, data.consumeByte());
                    out.writeBytes(run);
                }
                case 8 -> {
                    // A delimiter's prefix repeated: the worst case for a naive search.
                    byte[] prefix = Arrays.copyOf(delimiter, data.consumeInt(1, delimiter.length));
                    for (int r = data.consumeInt(1, 64); r > 0; r--) {
                        out.writeBytes(prefix);
                    }
                }
                default -> out.writeBytes(data.consumeBytes(data.consumeInt(1, 64)));
            }
        }
        return out.toByteArray();
    }

    /** Feeds the body in the given slice sizes (the rest at once), then ends it; the outcome as text. */
    private static String incremental(byte[] body, String boundary, List<Integer> slices) {
        Multiparts.Collector parts = new Multiparts.Collector();
        try {
            MultipartParser parser = new MultipartParser(boundary, parts);
            int at = 0;
            for (int s = 0; s <= slices.size() && at < body.length; s++) {
                int size = s < slices.size() ? Math.min(slices.get(s), body.length - at) : body.length - at;
                int pad = 1 + (s % 7);
                byte[] lent = new byte[pad + size + pad];
                Arrays.fill(lent, (byte) '-');
                System.arraycopy(body, at, lent, pad, size);
                Multiparts.feedAll(parser, lent, pad, size);
                // A parser that kept a reference to the lent bytes would now read the delimiter's own dashes.
                Arrays.fill(lent, (byte) '-');
                at += size;
            }
            parser.end();
            return outcome(parts.parts, parser.isFinished() ? "finished" : "unfinished");
        } catch (MalformedMultipartException e) {
            return outcome(parts.parts, "malformed: " + e.getMessage());
        }
    }

    static String outcome(List<Multiparts.Part> parts, String end) {
        StringBuilder text = new StringBuilder();
        for (Multiparts.Part part : parts) {
            // The body's length and digest: a mismatch stays readable however large the part.
            text.append(part.headers())
                    .append(' ')
                    .append(part.body().length)
                    .append(" bytes, sha-256 ")
                    .append(sha256(part.body()))
                    .append('\n');
        }
        return text.append(end).toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The body read whole, the plain way: find each delimiter with a naive search, then apply the rules after it
     * ("--" closes; else padding and CRLF), the header block's end and limit, and the part's content up to the next
     * delimiter. Written apart from the parser so that the two can disagree.
     */
    static final class Reference {
        private Reference() {}

        static String read(byte[] body, String boundary) {
            List<Multiparts.Part> parts = new ArrayList<>();
            if (boundary == null || boundary.isEmpty() || boundary.length() > MultipartParser.MAX_BOUNDARY) {
                return outcome(parts, "malformed: The multipart boundary is missing or invalid.");
            }
            byte[] d = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            // The first delimiter may come without its line break: pretend the body starts with one.
            byte[] text = new byte[body.length + 2];
            text[0] = '\r';
            text[1] = '\n';
            System.arraycopy(body, 0, text, 2, body.length);
            int n = text.length;
            int found = indexOf(text, d, 0);
            if (found < 0) {
                return outcome(parts, "malformed: The multipart body is truncated (no closing boundary).");
            }
            int i = found + d.length;
            while (true) {
                // After a delimiter: "--", or [ \t]* CRLF.
                if (i < n && text[i] == '-') {
                    if (i + 1 >= n) {
                        return outcome(parts, "malformed: The multipart body ends after a boundary.");
                    }
                    return text[i + 1] == '-' ? outcome(parts, "finished") : noLineBreak(parts);
                }
                int j = i;
                while (j < n && (text[j] == ' ' || text[j] == '\t')) {
                    j++;
                }
                if (j < n && text[j] != '\r') {
                    return noLineBreak(parts);
                }
                if (j + 1 < n && text[j + 1] != '\n') {
                    return noLineBreak(parts);
                }
                if (j + 1 >= n) {
                    int seen = n - i;
                    return seen < 2
                            ? outcome(parts, "malformed: The multipart body ends after a boundary.")
                            : noLineBreak(parts);
                }
                int start = j + 2;
                // The header block ends with an empty line: CRLF at once, or CRLF CRLF.
                int end = -1;
                if (start + 2 <= n && text[start] == '\r' && text[start + 1] == '\n') {
                    end = start + 2;
                } else {
                    int crlf2 = indexOf(text, new byte[] {'\r', '\n', '\r', '\n'}, start);
                    end = crlf2 < 0 ? -1 : crlf2 + 4;
                }
                int limit = MultipartParser.MAX_HEADER_BYTES + 2;
                if (end < 0) {
                    return outcome(
                            parts,
                            n - start > limit
                                    ? "malformed: Part headers are too large."
                                    : "malformed: The multipart body ends inside part headers.");
                }
                if (end - start > limit) {
                    return outcome(parts, "malformed: Part headers are too large.");
                }
                PartHeaders headers;
                try {
                    headers = PartHeaders.parse(Arrays.copyOfRange(text, start, end - 2));
                } catch (MalformedMultipartException e) {
                    return outcome(parts, "malformed: " + e.getMessage());
                }
                int next = indexOf(text, d, end);
                if (next < 0) {
                    return outcome(parts, "malformed: The multipart body is truncated (no closing boundary).");
                }
                parts.add(new Multiparts.Part(headers, Arrays.copyOfRange(text, end, next)));
                i = next + d.length;
            }
        }

        private static String noLineBreak(List<Multiparts.Part> parts) {
            return outcome(parts, "malformed: The multipart boundary is not followed by a line break.");
        }

        private static int indexOf(byte[] text, byte[] pattern, int from) {
            outer:
            for (int i = from; i + pattern.length <= text.length; i++) {
                for (int k = 0; k < pattern.length; k++) {
                    if (text[i + k] != pattern[k]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
