package pomf.witness.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.logging.Logger;
import pomf.problem.entity.ProblemException;
import pomf.untrusted.control.UntrustedText;
import pomf.witness.control.NodeForm;
import pomf.witness.control.NodeLedger;
import pomf.witness.control.ProbeTargets;
import pomf.witness.control.WitnessSql;
import pomf.witness.entity.Node;
import pomf.witness.entity.NodeState;

/**
 * What an admin does to nodes: add, edit, remove, kill, revive, maintenance. Each runs under the same lock on the
 * node rows as the witness's decision, records who did it and why, and queues the DNS change it implies. A manual
 * kill or maintenance may exceed the witness's kill cap (the operator decides) but never empties a record.
 */
@Stateless
public class NodeActions {
    private static final Logger LOG = Logger.getLogger(NodeActions.class.getName());
    // An operator's reason is free text (the API keeps 500 characters): one log line however it was typed.
    private static final int REASON_LIMIT = 500;

    @PersistenceContext
    EntityManager em;

    @Inject
    NodeLedger ledger;

    @Inject
    ProbeTargets targets;

    @Inject
    WitnessSql sql;

    public boolean exists(String name) {
        return !em.createNamedQuery(Node.BY_NAME, Node.class)
                .setParameter("name", name)
                .getResultList()
                .isEmpty();
    }

    public List<Node> all() {
        return em.createNamedQuery(Node.ALL, Node.class).getResultList();
    }

    public Node find(String name) {
        return em.createNamedQuery(Node.BY_NAME, Node.class).setParameter("name", name).getResultList().stream()
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("no node named " + name));
    }

    public Node add(NodeForm form, String actor) {
        targets.check(form);
        lock();
        if (exists(form.name())) {
            throw ProblemException.conflict("a node named " + form.name() + " exists already");
        }
        ensureUnique(form, null);
        Node node = new Node(form.name(), form.address(), form.checkUrl(), form.sshPort(), form.record());
        em.persist(node);
        em.flush();
        ledger.event(node, "add", form.address() + " in " + form.record(), actor);
        ledger.add(node, "added by " + actor);
        return node;
    }

    public Node edit(NodeForm form, String actor) {
        targets.check(form);
        lock();
        Node node = find(form.name());
        ensureUnique(form, node);
        boolean moves =
                !node.getAddress().equals(form.address()) || !node.getRecord().equals(form.record());
        if (moves && node.getState() == NodeState.LIVE) {
            ledger.remove(node, "edited by " + actor);
        }
        node.edit(form.address(), form.checkUrl(), form.sshPort(), form.record());
        if (moves && node.getState() == NodeState.LIVE) {
            ledger.add(node, "edited by " + actor);
        }
        ledger.event(node, "edit", form.toString(), actor);
        return node;
    }

    public void remove(String name, String actor) {
        lock();
        Node node = find(name);
        if (node.getState() == NodeState.LIVE) {
            refuseIfLast(node, "remove");
            ledger.remove(node, "removed by " + actor);
        }
        ledger.event(node, "remove", "removed", actor);
        em.remove(node);
    }

    public Node kill(String name, String reason, String actor) {
        return takeOut(name, NodeState.DEAD, "kill", reason, actor);
    }

    public Node maintenance(String name, String reason, String actor) {
        return takeOut(name, NodeState.MAINTENANCE, "maintenance", reason, actor);
    }

    public Node revive(String name, String reason, String actor) {
        lock();
        Node node = find(name);
        if (node.getState() == NodeState.LIVE) {
            return node;
        }
        node.moveTo(NodeState.LIVE, reason);
        ledger.event(node, "revive", reason, actor);
        ledger.add(node, "revived by " + actor + ": " + reason);
        LOG.info(() -> actor + " revived " + name + ": " + UntrustedText.neutral(reason, REASON_LIMIT));
        return node;
    }

    /**
     * Queues the DNS change that brings a node's address back in line with its state (the audit found DNS
     * disagreeing); false when the node changed meanwhile.
     */
    public boolean repairDns(String name, boolean sawLive, String drift) {
        lock();
        Node node = em.createNamedQuery(Node.BY_NAME, Node.class).setParameter("name", name).getResultList().stream()
                .findFirst()
                .orElse(null);
        if (node == null || (node.getState() == NodeState.LIVE) != sawLive) {
            return false; // changed since the audit read it: its own change is on the way
        }
        if (node.getState() == NodeState.LIVE) {
            ledger.add(node, drift);
        } else {
            ledger.remove(node, drift);
        }
        return true;
    }

    private Node takeOut(String name, NodeState state, String kind, String reason, String actor) {
        lock();
        Node node = find(name);
        if (node.getState() == state) {
            return node;
        }
        if (node.getState() == NodeState.LIVE) {
            refuseIfLast(node, kind);
            ledger.remove(node, kind + " by " + actor + ": " + reason);
        }
        node.moveTo(state, reason);
        ledger.event(node, kind, reason, actor);
        LOG.info(() -> actor + ": " + kind + " " + name + ": " + UntrustedText.neutral(reason, REASON_LIMIT));
        return node;
    }

    private void refuseIfLast(Node node, String action) {
        long live = all().stream()
                .filter(n -> n.getState() == NodeState.LIVE && n.getRecord().equals(node.getRecord()))
                .count();
        if (live <= 1) {
            throw ProblemException.conflict(node.getName() + " is the last live node of " + node.getRecord() + ": "
                    + action + " would leave the record empty");
        }
    }

    private void ensureUnique(NodeForm form, Node self) {
        boolean taken = all().stream()
                .anyMatch(n -> n != self
                        && n.getRecord().equals(form.record())
                        && n.getAddress().equals(form.address()));
        if (taken) {
            throw ProblemException.conflict(form.address() + " is already a node of " + form.record());
        }
    }

    /** Takes the node lock for the caller's transaction (seeding checks and adds several nodes under it). */
    public void hold() {
        lock();
    }

    /** The lock the witness's decision takes too: one change of node states at a time. */
    private void lock() {
        sql.lockNodes();
    }
}
