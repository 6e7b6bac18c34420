package pomf.witness.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One tick's checks: every check of every node at once, so that a tick over a thousand nodes, half of them silent, ends
 * at about the longest deadline ({@link ProbeSettings#longestDeadline()}) rather than at the sum of the timeouts.
 * Plain Java; the witness's timer owns one and closes it on shutdown.
 */
public final class Prober implements AutoCloseable {
    private final HttpsProbe https;
    private final IcmpProbe icmp;
    private final SshProbe ssh;

    public Prober(ProbeSettings settings) {
        this(settings, new IcmpProbe(settings));
    }

    Prober(ProbeSettings settings, IcmpProbe icmp) {
        this.https = new HttpsProbe(settings);
        this.icmp = icmp;
        this.ssh = new SshProbe(settings);
    }

    /**
     * @return one result per node and check, in the targets' order and then the order of {@link Check}; failures are
     *     results too, never exceptions
     */
    public List<CheckResult> checkAll(List<Target> targets) {
        return checkAll(targets, Optional.empty());
    }

    /** As {@link #checkAll(List)}, with the {@link Check#CANARY} check of every node when there is a canary. */
    public List<CheckResult> checkAll(List<Target> targets, Optional<Canary> canary) {
        List<CompletableFuture<CheckResult>> checks = new ArrayList<>(targets.size() * Check.values().length);
        for (Target target : targets) {
            for (Check check : Check.values()) {
                if (check == Check.CANARY) {
                    canary.ifPresent(c -> checks.add(https.canary(target, c)));
                } else {
                    checks.add(start(check, target));
                }
            }
        }
        // Each check completes by its own deadline, so this join is bounded too.
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).join();
        return checks.stream().map(CompletableFuture::join).toList();
    }

    /** How pings are sent ({@code "icmp"}, {@code "ping command"}, {@code "unavailable: <reason>"}). */
    public String pingMode() {
        return icmp.mode();
    }

    private CompletableFuture<CheckResult> start(Check check, Target target) {
        return switch (check) {
            case HTTPS -> https.check(target);
            case PING -> icmp.check(target);
            case SSH -> ssh.check(target);
            case CANARY -> throw new IllegalArgumentException("the canary check needs its canary");
        };
    }

    @Override
    public void close() {
        https.close();
        icmp.close();
        ssh.close();
    }
}
