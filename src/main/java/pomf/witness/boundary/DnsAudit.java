package pomf.witness.boundary;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import pomf.dns.control.DnsException;
import pomf.dns.control.DnsProvider;
import pomf.dns.control.DnsProviders;
import pomf.witness.control.WitnessSql;
import pomf.witness.entity.Node;
import pomf.witness.entity.NodeState;

/**
 * Compares what DNS says with what the database says (live nodes in their record, dead and parked ones out) and
 * queues a change for every difference no open change explains: a record edited by hand at the provider, a lost
 * update, a restored zone backup. So the two cannot disagree silently for longer than one audit period.
 */
@Stateless
public class DnsAudit {
    private static final Logger LOG = Logger.getLogger(DnsAudit.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    DnsProviders providers;

    @Inject
    NodeActions actions;

    @Inject
    WitnessSql sql;

    /** One audit: every record read once, a repair queued per unexplained difference; returns how many. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int run() {
        List<Node> nodes = em.createNamedQuery(Node.ALL, Node.class).getResultList();
        Set<String> open = sql.openDnsChanges();
        Map<String, List<Node>> byRecord = nodes.stream().collect(Collectors.groupingBy(Node::getRecord));
        DnsProvider provider = providers.provider();
        int repairs = 0;
        for (Map.Entry<String, List<Node>> record : byRecord.entrySet()) {
            Set<String> actual;
            try {
                actual = provider.addresses(record.getKey());
            } catch (DnsException e) {
                LOG.warning(() -> "DNS audit could not read " + record.getKey() + ": " + e.getMessage());
                continue;
            }
            for (Node node : record.getValue()) {
                boolean wanted = node.getState() == NodeState.LIVE;
                if (actual.contains(node.getAddress()) != wanted
                        && !open.contains(node.getRecord() + " " + node.getAddress())) {
                    String drift = "drift: " + node.getRecord() + " held " + actual + " but " + node.getName() + " is "
                            + node.getState().column();
                    LOG.warning(() -> "DNS audit: " + drift + "; queuing a repair");
                    repairs += actions.repairDns(node.getName(), wanted, drift) ? 1 : 0;
                }
            }
        }
        return repairs;
    }
}
