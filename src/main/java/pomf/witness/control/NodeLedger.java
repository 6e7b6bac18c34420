package pomf.witness.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import pomf.witness.entity.Node;

/**
 * Records what DNS must be made to say about a node, and the node's history, in the caller's transaction: the change is pending until the
 * DNS sync applies and confirms it, so a crash between the decision and the provider call loses nothing.
 */
@ApplicationScoped
public class NodeLedger {

    @PersistenceContext
    EntityManager em;

    public void remove(Node node, String reason) {
        queue(node, "remove", reason);
    }

    public void add(Node node, String reason) {
        queue(node, "add", reason);
    }

    private void queue(Node node, String action, String reason) {
        // The newest intent wins: a revive right after a kill must not be undone by the kill's retry.
        em.createNativeQuery("update dns_change set state = 'superseded' where record = ?1 and address = ?2"
                        + " and state in ('pending', 'applied')")
                .setParameter(1, node.getRecord())
                .setParameter(2, node.getAddress())
                .executeUpdate();
        em.createNativeQuery("insert into dns_change (node_id, record, address, action, reason)"
                        + " values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, node.getId())
                .setParameter(2, node.getRecord())
                .setParameter(3, node.getAddress())
                .setParameter(4, action)
                .setParameter(5, reason)
                .executeUpdate();
    }

    /** An entry in the node's history: every kill, revival and edit, with who did it and why. */
    public void event(Node node, String kind, String reason, String actor) {
        em.createNativeQuery("insert into node_event (node_id, node_name, kind, reason, actor)"
                        + " values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, node.getId())
                .setParameter(2, node.getName())
                .setParameter(3, kind)
                .setParameter(4, reason)
                .setParameter(5, actor)
                .executeUpdate();
    }
}
