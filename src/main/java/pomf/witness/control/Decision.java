package pomf.witness.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import pomf.witness.entity.Node;
import pomf.witness.entity.NodeState;

/**
 * Turns a tick's check results into strikes, kills and revivals, in the caller's transaction and under a lock on
 * every node row: concurrent ticks, several witnesses and an admin's kill all wait for one another, so the kill cap
 * and the last-live-node rule hold. With a quorum above one, the previous tick is judged (every witness has
 * reported it by then) and a failure counts only when enough witnesses without a fault saw it.
 */
@ApplicationScoped
public class Decision {
    private static final Logger LOG = Logger.getLogger(Decision.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    WitnessSettings settings;

    @Inject
    NodeLedger ledger;

    @Inject
    WitnessSql sql;

    /** Judges the tick {@code claimed} (the one before it, with a quorum above one) for {@code witness}. */
    public void decide(Instant claimed, String witness) {
        Instant tick = settings.quorum() > 1 ? claimed.minus(settings.interval()) : claimed;
        sql.lockNodes();
        Map<Long, String> failures = failures(tick);
        Set<Long> checked = sql.checkedNodes(tick);
        Rules rules = settings.rules();
        List<Node> nodes = em.createNamedQuery(Node.ALL, Node.class).getResultList();
        int strikes = 0;
        for (Node node : nodes) {
            if (node.getState() == NodeState.LIVE && failures.containsKey(node.getId())) {
                strikes += sql.insertStrike(node.getId(), tick, failures.get(node.getId()), settings.quorum());
            }
        }
        Map<Long, Integer> inWindow = sql.strikesSince(tick.minus(rules.window()));
        for (Node node : nodes) {
            if (checked.contains(node.getId())) {
                node.countTick(!failures.containsKey(node.getId()));
            }
        }
        List<NodeView> views = nodes.stream()
                .map(n -> new NodeView(
                        n.getId(),
                        n.getName(),
                        n.getRecord(),
                        n.getState(),
                        n.getStateSince().toInstant(),
                        inWindow.getOrDefault(n.getId(), 0),
                        n.getCleanTicks()))
                .toList();
        Judge.Rulings finding = new Judge(rules).judge(views, Instant.now());
        Map<Long, Node> byId = nodes.stream().collect(Collectors.toMap(Node::getId, n -> n));
        String actor = "witness " + witness;
        for (Judge.Ruling kill : finding.kills()) {
            Node node = byId.get(kill.node().id());
            node.moveTo(NodeState.DEAD, kill.reason());
            ledger.event(node, "kill", kill.reason(), actor);
            ledger.remove(node, "killed: " + kill.reason());
            LOG.warning(() -> "killed " + node.getName() + " (" + node.getAddress() + "): " + kill.reason());
        }
        for (Judge.Ruling refusal : finding.refused()) {
            refuseOnce(byId.get(refusal.node().id()), refusal.reason(), actor, rules);
        }
        for (Judge.Ruling revival : finding.revivals()) {
            Node node = byId.get(revival.node().id());
            node.moveTo(NodeState.LIVE, "revived: " + revival.reason());
            ledger.event(node, "revive", revival.reason(), actor);
            ledger.add(node, "revived: " + revival.reason());
            LOG.info(() -> "revived " + node.getName() + ": " + revival.reason());
        }
        sql.markDecided(claimed, failures.size(), strikes, finding.kills().size());
    }

    /** Per node: what failed in the tick, when enough witnesses without a fault saw it fail. */
    private Map<Long, String> failures(Instant tick) {
        Map<Long, String> failures = new HashMap<>();
        for (WitnessSql.Failure failure : sql.failures(tick)) {
            if (failure.witnesses() >= settings.quorum()) {
                failures.put(failure.node(), failure.reasons());
            }
        }
        return failures;
    }

    /** A refused kill is logged once per window, not every tick the node keeps failing. */
    private void refuseOnce(Node node, String reason, String actor, Rules rules) {
        if (sql.killRefusalsWithin(node.getId(), rules.window()) == 0) {
            ledger.event(node, "kill_refused", reason, actor);
            LOG.warning(() -> "not killing " + node.getName() + ": " + reason);
        }
    }
}
