package pomf.jobs.control;

import java.time.Duration;

/**
 * What a claim asks for, checked before it reaches the database: a job's name (lower-case letters, digits and
 * {@code -}, up to 63 characters, as {@code job_run}'s check says), the least time between two starts ({@code 0}: no
 * spacing, only never two at once), at most 366 days. Anything else is an {@link IllegalArgumentException} that says what is wrong.
 */
public record JobTerms(String job, Duration interval) {
    static final int TOLERANCE_SHARE = 10;
    static final Duration MAX_TOLERANCE = Duration.ofSeconds(5);
    static final Duration MAX = Duration.ofDays(366);
    private static final int MAX_NAME = 63;

    public JobTerms {
        if (job == null || !wellNamed(job)) {
            throw new IllegalArgumentException("a job's name is 1 to " + MAX_NAME
                    + " lower-case letters, digits and '-', not starting with '-'; not "
                    + (job == null ? "null" : "\"" + job + "\""));
        }
        if (interval == null || interval.isNegative() || interval.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(
                    "job " + job + ": the interval is zero (only never two at once) to 366 days, not " + interval);
        }
    }

    /**
     * The interval less a tolerance (a tenth of it, at most 5 s), the least age of the last start that lets a claim
     * in: a timer that fires a few milliseconds early, or another origin's a little before this one's, still finds
     * the job due, so it runs once per interval and not every second interval.
     */
    public Duration spacing() {
        Duration tolerance = interval.dividedBy(TOLERANCE_SHARE);
        return interval.minus(tolerance.compareTo(MAX_TOLERANCE) > 0 ? MAX_TOLERANCE : tolerance);
    }

    private static boolean wellNamed(String job) {
        if (job.isEmpty() || job.length() > MAX_NAME || job.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < job.length(); i++) {
            char c = job.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
