package pomf.http.control;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range: bytes=...} header. Only single ranges are honoured; anything else (several
 * ranges, other units, garbage) is ignored and the whole file is sent, as RFC 9110 allows.
 */
public record ByteRange(long start, long end) {
    private static final Pattern SINGLE =
            Pattern.compile("bytes\\s*=\\s*(\\d{0,19})\\s*-\\s*(\\d{0,19})\\s*", Pattern.CASE_INSENSITIVE);

    public long length() {
        return end - start + 1;
    }

    /** The outcome of a Range header against a file of a given size. */
    public sealed interface Outcome permits Whole, Partial, Unsatisfiable {}

    public record Whole() implements Outcome {}

    public record Partial(ByteRange range) implements Outcome {}

    public record Unsatisfiable() implements Outcome {}

    public static Outcome evaluate(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return new Whole();
        }
        Optional<Long> first = number(m.group(1));
        Optional<Long> last = number(m.group(2));
        if (first.isEmpty() && m.group(1).isEmpty()) {
            // Suffix range: the last N bytes.
            long suffix = last.orElse(Long.MAX_VALUE);
            if (suffix == 0) {
                return new Unsatisfiable();
            }
            return size == 0 ? new Unsatisfiable() : new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        if (first.isEmpty()) {
            return new Whole();
        }
        long start = first.get();
        if (!m.group(2).isEmpty() && compareDecimal(m.group(2), m.group(1)) < 0) {
            // last < first: invalid, ignored. Compared on the digits, since either may be past a long.
            return new Whole();
        }
        if (start >= size) {
            return new Unsatisfiable();
        }
        long end = last.map(l -> Math.min(l, size - 1)).orElse(size - 1);
        return new Partial(new ByteRange(start, end));
    }

    /** Compares two unsigned decimal numbers of any length exactly. */
    private static int compareDecimal(String a, String b) {
        String x = withoutLeadingZeros(a);
        String y = withoutLeadingZeros(b);
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    private static String withoutLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    private static Optional<Long> number(String digits) {
        if (digits.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return Optional.of(Long.MAX_VALUE);
        }
    }
}
