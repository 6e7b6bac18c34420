package pomf.time.control;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration written as a number and a unit: {@code 45s}, {@code 30m}, {@code 1h}, {@code 7d}, {@code 2w} (case and
 * spaces do not matter); blank, {@code never}, {@code none} and {@code 0} mean none. Read by settings and by the
 * upload form's {@code expiry} alike.
 */
public final class Durations {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,6})\\s*([smhdw])");

    private Durations() {}

    /** The duration, or empty for none; a value that is neither is an {@link IllegalArgumentException}. */
    public static Optional<Duration> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("never") || v.equals("none") || v.equals("0")) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(
                    "Not a duration: " + value + ". Use a number and a unit: 30m, 1h, 1d, 7d, 2w.");
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(7 * n);
                });
    }
}
