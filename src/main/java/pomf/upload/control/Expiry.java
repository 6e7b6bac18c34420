package pomf.upload.control;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pomf.upload.entity.UploadRejectedException;

/** The {@code expiry} form field: {@code 30m}, {@code 1h}, {@code 1d}, {@code 7d}, {@code 2w}; none or "never" keeps the file. */
public final class Expiry {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,6})\\s*([smhdw])");

    private Expiry() {}

    /**
     * @param value the field as sent (null when absent)
     * @param fallback used when the client sends nothing (the configured default, may be empty)
     * @param cap the longest lifetime allowed; a longer request is shortened to it (zero: no cap)
     * @return the lifetime, empty for a file that does not expire
     */
    public static Optional<Duration> choose(String value, String fallback, Duration cap) {
        Optional<Duration> chosen = parse(value == null || value.isBlank() ? fallback : value);
        if (cap.isZero() || cap.isNegative()) {
            return chosen;
        }
        return Optional.of(chosen.filter(d -> d.compareTo(cap) < 0).orElse(cap));
    }

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
            throw new UploadRejectedException(400, "Invalid expiry. Use a number and a unit: 30m, 1h, 1d, 7d, 2w.");
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
