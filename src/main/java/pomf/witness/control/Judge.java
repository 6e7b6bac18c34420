package pomf.witness.control;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pomf.witness.entity.NodeState;

/**
 * Decides kills and automatic revivals from the nodes' strikes, under the rules: a live node with enough strikes is
 * killed while fewer than {@code maxDead} nodes are dead and it is not the last live node of its record (an empty
 * record set would take the whole service down, which is worse than a sick node). Plain Java: the caller holds the
 * lock that makes the decision exclusive.
 */
public final class Judge {
    private final Rules rules;

    public Judge(Rules rules) {
        this.rules = rules;
    }

    /** A node and why it was (or was not) acted on. */
    public record Ruling(NodeView node, String reason) {}

    /** Kills to make, kills the rules refused, and revivals to make. */
    public record Rulings(List<Ruling> kills, List<Ruling> refused, List<Ruling> revivals) {}

    public Rulings judge(List<NodeView> nodes, Instant now) {
        long dead = nodes.stream().filter(n -> n.state() == NodeState.DEAD).count();
        Map<String, Integer> liveByRecord = new HashMap<>();
        for (NodeView node : nodes) {
            if (node.state() == NodeState.LIVE) {
                liveByRecord.merge(node.record(), 1, Integer::sum);
            }
        }
        List<Ruling> kills = new ArrayList<>();
        List<Ruling> refused = new ArrayList<>();
        // The worst first, so that when the cap stops the witness it has taken out the sickest nodes.
        List<NodeView> candidates = nodes.stream()
                .filter(n -> n.state() == NodeState.LIVE && n.strikes() >= rules.strikes())
                .sorted(Comparator.comparingInt(NodeView::strikes).reversed().thenComparing(NodeView::name))
                .toList();
        for (NodeView node : candidates) {
            String strikes = node.strikes() + " strikes in the last " + minutes(rules.window());
            if (dead >= rules.maxDead()) {
                refused.add(new Ruling(
                        node, strikes + ", but " + dead + " nodes are dead already (cap " + rules.maxDead() + ")"));
            } else if (liveByRecord.getOrDefault(node.record(), 0) <= 1) {
                refused.add(new Ruling(
                        node, strikes + ", but it is the last live node of " + node.record() + ": kept in DNS"));
            } else {
                kills.add(new Ruling(node, strikes));
                dead++;
                liveByRecord.merge(node.record(), -1, Integer::sum);
            }
        }
        return new Rulings(kills, refused, revivals(nodes, now));
    }

    private List<Ruling> revivals(List<NodeView> nodes, Instant now) {
        if (rules.reviveAfterCleanTicks() <= 0) {
            return List.of();
        }
        return nodes.stream()
                .filter(n -> n.state() == NodeState.DEAD)
                .filter(n -> n.cleanTicks() >= rules.reviveAfterCleanTicks())
                .filter(n -> !n.stateSince().plus(rules.reviveMinDead()).isAfter(now))
                .map(n -> new Ruling(
                        n,
                        n.cleanTicks() + " clean ticks in a row after " + minutes(Duration.between(n.stateSince(), now))
                                + " dead"))
                .toList();
    }

    private static String minutes(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
