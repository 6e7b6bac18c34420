package pomf.upload.control;

import java.time.Duration;
import java.util.Optional;
import pomf.time.control.Durations;
import pomf.upload.entity.UploadRejectedException;

/** The {@code expiry} form field: {@code 30m}, {@code 1h}, {@code 1d}, {@code 7d}, {@code 2w}; none or "never" keeps the file. */
public final class Expiry {
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

    /** The field's lifetime, or empty for a file that does not expire; a wrong value is the client's error (400). */
    public static Optional<Duration> parse(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UploadRejectedException(400, "Invalid expiry. Use a number and a unit: 30m, 1h, 1d, 7d, 2w.");
        }
    }
}
