package pomf.witness.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
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

    public void decide(Instant claimed, String witness) {
        Instant tick = settings.quorum() > 1 ? claimed.minus(settings.interval()) : claimed;
        Timestamp at = Timestamp.from(tick);
        NodeLock.take(em);
        Map<Long, String> failures = failures(at);
        Set<Long> checked = checked(at);
        Rules rules = settings.rules();
        List<Node> nodes = em.createNamedQuery(Node.ALL, Node.class).getResultList();
        int strikes = 0;
        for (Node node : nodes) {
            if (node.getState() == NodeState.LIVE && failures.containsKey(node.getId())) {
                strikes += em.createNativeQuery("insert into strike (node_id, tick, reasons, witnesses)"
                                + " values (?1, ?2, ?3, ?4) on conflict do nothing")
                        .setParameter(1, node.getId())
                        .setParameter(2, at)
                        .setParameter(3, failures.get(node.getId()))
                        .setParameter(4, settings.quorum())
                        .executeUpdate();
            }
        }
        Map<Long, Integer> inWindow = strikesSince(Timestamp.from(tick.minus(rules.window())));
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
        Judge.Rulings verdict = new Judge(rules).judge(views, Instant.now());
        Map<Long, Node> byId = nodes.stream().collect(Collectors.toMap(Node::getId, n -> n));
        String actor = "witness " + witness;
        for (Judge.Ruling kill : verdict.kills()) {
            Node node = byId.get(kill.node().id());
            node.moveTo(NodeState.DEAD, kill.reason());
            ledger.event(node, "kill", kill.reason(), actor);
            ledger.remove(node, "killed: " + kill.reason());
            LOG.warning(() -> "killed " + node.getName() + " (" + node.getAddress() + "): " + kill.reason());
        }
        for (Judge.Ruling refusal : verdict.refused()) {
            refuseOnce(byId.get(refusal.node().id()), refusal.reason(), actor, rules);
        }
        for (Judge.Ruling revival : verdict.revivals()) {
            Node node = byId.get(revival.node().id());
            node.moveTo(NodeState.LIVE, "revived: " + revival.reason());
            ledger.event(node, "revive", revival.reason(), actor);
            ledger.add(node, "revived: " + revival.reason());
            LOG.info(() -> "revived " + node.getName() + ": " + revival.reason());
        }
        em.createNativeQuery("update witness_tick set decided_at = now(), failed = ?2, strikes = ?3, kills = ?4"
                        + " where tick = ?1")
                .setParameter(1, Timestamp.from(claimed))
                .setParameter(2, failures.size())
                .setParameter(3, strikes)
                .setParameter(4, verdict.kills().size())
                .executeUpdate();
    }

    /** Per node: what failed in the tick, when enough witnesses without a fault saw it fail. */
    private Map<Long, String> failures(Timestamp tick) {
        List<?> rows = em.createNativeQuery("select c.node_id,"
                        // A wrong canary says which bytes came: its detail goes into the strike's reasons.
                        + " string_agg(distinct c.check_kind || ' ' || c.outcome || case when c.outcome ="
                        + " 'wrong_content' then ' (' || c.detail || ')' else '' end, ', '),"
                        + " count(distinct c.witness)"
                        + " from check_result c where c.tick = ?1 and c.outcome not in ('ok', 'not_checked', 'local_error')"
                        + " and not exists (select 1 from witness_fault f where f.tick = c.tick"
                        + " and f.witness = c.witness) group by c.node_id")
                .setParameter(1, tick)
                .getResultList();
        Map<Long, String> failures = new HashMap<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            if (((Number) columns[2]).intValue() >= settings.quorum()) {
                failures.put(((Number) columns[0]).longValue(), (String) columns[1]);
            }
        }
        return failures;
    }

    private Set<Long> checked(Timestamp tick) {
        List<?> rows = em.createNativeQuery("select distinct c.node_id from check_result c where c.tick = ?1"
                        + " and not exists (select 1 from witness_fault f where f.tick = c.tick"
                        + " and f.witness = c.witness)")
                .setParameter(1, tick)
                .getResultList();
        Set<Long> ids = new HashSet<>();
        rows.forEach(id -> ids.add(((Number) id).longValue()));
        return ids;
    }

    private Map<Long, Integer> strikesSince(Timestamp since) {
        // A strike before a node's last change of state (a revival) no longer counts against it.
        List<?> rows = em.createNativeQuery("select s.node_id, count(*) from strike s join node n on n.id = s.node_id"
                        + " where s.tick > ?1 and s.tick > n.state_since group by s.node_id")
                .setParameter(1, since)
                .getResultList();
        Map<Long, Integer> counts = new HashMap<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            counts.put(((Number) columns[0]).longValue(), ((Number) columns[1]).intValue());
        }
        return counts;
    }

    /** A refused kill is logged once per window, not every tick the node keeps failing. */
    private void refuseOnce(Node node, String reason, String actor, Rules rules) {
        Number recent = (Number) em.createNativeQuery("select count(*) from node_event where node_id = ?1"
                        + " and kind = 'kill_refused' and at > now() - make_interval(secs => ?2)")
                .setParameter(1, node.getId())
                .setParameter(2, (double) rules.window().toSeconds())
                .getSingleResult();
        if (recent.intValue() == 0) {
            ledger.event(node, "kill_refused", reason, actor);
            LOG.warning(() -> "not killing " + node.getName() + ": " + reason);
        }
    }
}
