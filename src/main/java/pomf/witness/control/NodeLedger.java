package pomf.witness.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import pomf.witness.entity.Node;

/**
 * Records what DNS must be made to say about a node, and the node's history, in the caller's transaction: the change is pending until the
 * DNS sync applies and confirms it, so a crash between the decision and the provider call loses nothing.
 */
@ApplicationScoped
public class NodeLedger {

    @Inject
    WitnessSql sql;

    /** Queues the removal of the node's address from its record. */
    public void remove(Node node, String reason) {
        queue(node, "remove", reason);
    }

    /** Queues the addition of the node's address to its record. */
    public void add(Node node, String reason) {
        queue(node, "add", reason);
    }

    private void queue(Node node, String action, String reason) {
        // The newest intent wins: a revive right after a kill must not be undone by the kill's retry.
        sql.supersedeDnsChanges(node.getRecord(), node.getAddress());
        sql.insertDnsChange(node.getId(), node.getRecord(), node.getAddress(), action, reason);
    }

    /** An entry in the node's history: every kill, revival and edit, with who did it and why. */
    public void event(Node node, String kind, String reason, String actor) {
        sql.insertEvent(node.getId(), node.getName(), kind, reason, actor);
    }
}
