package pomf.witness.control;

import java.time.Duration;

/**
 * One check of one node in one tick.
 *
 * @param detail a short human-readable reason ("connection refused", "HTTP 503", "PKIX path building failed"),
 *     empty when the check passed
 */
public record CheckResult(String node, Check check, Outcome outcome, Duration latency, String detail) {

    public boolean ok() {
        return outcome.ok();
    }
}
