package pomf.upload.control;

import java.time.Duration;

/**
 * Retention by size, as 0x0 keeps files: small files long, large files short. The longest a file of {@code size}
 * bytes is kept is {@code min + (max - min) * (1 - size / maxSize)^3}: an empty file {@code max}, a file of the
 * upload limit {@code min}, and most of the range near {@code min} for large files (the cube makes the curve fall
 * fast at first). It caps what the uploader asks for, and gives files that asked to be kept for ever a lifetime too.
 *
 * @param min what a file of the size limit is kept
 * @param max what an empty file is kept
 * @param maxSize the size limit ({@code pomf.upload.max-size})
 */
public record RetentionCurve(Duration min, Duration max, long maxSize) {

    public RetentionCurve {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0 || maxSize <= 0) {
            throw new IllegalArgumentException(
                    "pomf.upload.retention.min and max must be durations with 0 < min <= max, not " + min + " and "
                            + max);
        }
    }

    /** The longest a file of {@code size} bytes is kept, to the second. */
    public Duration lifetime(long size) {
        double share = Math.min(1.0, Math.max(0.0, (double) size / maxSize));
        double left = Math.pow(1.0 - share, 3);
        long seconds = min.toSeconds() + Math.round((max.toSeconds() - min.toSeconds()) * left);
        return Duration.ofSeconds(seconds);
    }
}
