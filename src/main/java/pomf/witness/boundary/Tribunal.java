package pomf.witness.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import pomf.witness.control.Canary;
import pomf.witness.control.CheckResult;
import pomf.witness.control.Decision;
import pomf.witness.control.WitnessSql;
import pomf.witness.entity.Node;

/**
 * Stores one witness's tick (every check result, or the tick's witness fault) and claims the tick: the first
 * witness to insert the tick's row decides it, in the same transaction. Checks are stored with JDBC batches (a
 * thousand nodes make three thousand rows a tick).
 */
@Stateless
public class Tribunal {
    private static final Logger LOG = Logger.getLogger(Tribunal.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    Decision decision;

    @Inject
    WitnessSql sql;

    public List<Node> nodesToCheck() {
        return em.createNamedQuery(Node.ALL, Node.class).getResultList().stream()
                .filter(n -> n.getState() != pomf.witness.entity.NodeState.MAINTENANCE)
                .toList();
    }

    /**
     * The canary named {@code name} as the registry has it: its hash and size, read each tick, so that replacing the
     * file (a new upload under the configured name's row) or a takedown of it is seen at once. Empty when there is no
     * such link, or it is taken down.
     */
    public Optional<Canary> canary(String name) {
        return sql.canary(name);
    }

    /** @return whether this witness decided the tick */
    public boolean record(
            Instant tick,
            String witness,
            Map<String, Long> ids,
            List<CheckResult> results,
            Optional<String> fault,
            long checkMillis) {
        sql.insertChecks(tick, witness, ids, results);
        fault.ifPresent(reason -> {
            LOG.warning(() -> "witness fault in tick " + tick + ": " + reason + "; no strikes from this witness");
            sql.insertFault(tick, witness, reason);
        });
        boolean claimed = sql.claimTick(tick, witness, ids.size(), checkMillis);
        if (claimed) {
            decision.decide(tick, witness);
        }
        return claimed;
    }
}
