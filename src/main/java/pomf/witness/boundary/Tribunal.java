package pomf.witness.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;
import pomf.witness.control.Canary;
import pomf.witness.control.CheckResult;
import pomf.witness.control.Decision;
import pomf.witness.entity.Node;

/**
 * Stores one witness's tick (every check result, or the tick's witness fault) and claims the tick: the first
 * witness to insert the tick's row decides it, in the same transaction. Checks are stored with JDBC batches (a
 * thousand nodes make three thousand rows a tick).
 */
@Stateless
public class Tribunal {
    private static final Logger LOG = Logger.getLogger(Tribunal.class.getName());

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @PersistenceContext
    EntityManager em;

    @Inject
    Decision decision;

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
        List<?> rows = em.createNativeQuery("select sha256, size from stored_file where name = ?1 and not banned")
                .setParameter(1, name)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(new Canary(name, ((String) row[0]).trim(), ((Number) row[1]).longValue()));
    }

    /** @return whether this witness decided the tick */
    public boolean record(
            Instant tick,
            String witness,
            Map<String, Long> ids,
            List<CheckResult> results,
            Optional<String> fault,
            long checkMillis) {
        store(tick, witness, ids, results);
        fault.ifPresent(reason -> {
            LOG.warning(() -> "witness fault in tick " + tick + ": " + reason + "; no strikes from this witness");
            em.createNativeQuery("insert into witness_fault (tick, witness, reason) values (?1, ?2, ?3)"
                            + " on conflict do nothing")
                    .setParameter(1, Timestamp.from(tick))
                    .setParameter(2, witness)
                    .setParameter(3, reason)
                    .executeUpdate();
        });
        int claimed = em.createNativeQuery("insert into witness_tick (tick, witness, nodes, check_ms)"
                        + " values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, Timestamp.from(tick))
                .setParameter(2, witness)
                .setParameter(3, ids.size())
                .setParameter(4, (int) Math.min(Integer.MAX_VALUE, checkMillis))
                .executeUpdate();
        if (claimed == 1) {
            decision.decide(tick, witness);
        }
        return claimed == 1;
    }

    private void store(Instant tick, String witness, Map<String, Long> ids, List<CheckResult> results) {
        String sql = "insert into check_result (tick, witness, node_id, check_kind, outcome, latency_ms, detail)"
                + " values (?, ?, ?, ?, ?, ?, ?)";
        // The JTA connection: part of this transaction, closing the handle hands it back at commit.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(sql)) {
            Timestamp at = Timestamp.from(tick);
            for (CheckResult result : results) {
                Long id = ids.get(result.node());
                if (id == null) {
                    continue; // removed while it was being checked
                }
                insert.setTimestamp(1, at);
                insert.setString(2, witness);
                insert.setLong(3, id);
                insert.setString(4, result.check().name().toLowerCase(Locale.ROOT));
                insert.setString(5, result.outcome().name().toLowerCase(Locale.ROOT));
                insert.setInt(
                        6, (int) Math.min(Integer.MAX_VALUE, result.latency().toMillis()));
                insert.setString(7, abbreviate(result.detail()));
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the checks of tick " + tick, e);
        }
    }

    private static String abbreviate(String detail) {
        return detail == null ? "" : detail.length() <= 500 ? detail : detail.substring(0, 500);
    }
}
