package pomf.witness.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;

/**
 * Every native statement of the witness: the checks, faults and claim of a tick, strikes and the decision's figures,
 * the node lock, node events and DNS intents, and the reads behind the JSON API. All run in the caller's transaction
 * (none opens its own). JPA on {@code node} stays with the entity.
 *
 * <p>Writes {@code check_result} (JDBC batches), {@code witness_fault}, {@code witness_tick}, {@code strike},
 * {@code node_event} and {@code dns_change} (new intents; older open ones superseded). Reads those, {@code node}
 * (locked, and its {@code state_since}) and {@code stored_file} (the canary's hash and size).
 */
@ApplicationScoped
public class WitnessSql {
    /** "pomfnode" in ASCII: a key no other advisory lock of the schema uses. */
    private static final long NODE_LOCK_KEY = 0x706f6d666e6f6465L;

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    /** What failed of one node in a tick, and how many witnesses without a fault saw it. */
    public record Failure(long node, String reasons, int witnesses) {}

    /** One check of a node's last tick. */
    public record LastCheck(String check, String outcome, int latencyMs, String detail, Instant tick, String witness) {}

    /** One strike against a node. */
    public record Strike(Instant tick, String reasons, int witnesses) {}

    /** One entry of a node's history. */
    public record NodeEvent(String kind, String reason, String actor, Instant at) {}

    /** One entry of the history of all nodes, with the node's name at the time. */
    public record FleetEvent(String node, String kind, String reason, String actor, Instant at) {}

    /** One DNS change of a node. */
    public record NodeDnsChange(
            String action,
            String state,
            String reason,
            int attempts,
            String lastError,
            Instant createdAt,
            Instant confirmedAt) {}

    /** One DNS change of any node. */
    public record DnsChange(
            long id,
            String record,
            String address,
            String action,
            String state,
            String reason,
            int attempts,
            String lastError,
            Instant createdAt,
            Instant confirmedAt) {}

    /** One tick as its deciding witness recorded it; {@code decidedAt} is null until it is decided. */
    public record Tick(
            Instant tick,
            String witness,
            int nodes,
            int failed,
            int strikes,
            int kills,
            int checkMs,
            Instant decidedAt) {}

    /** A tick a witness could not judge, and why. */
    public record Fault(Instant tick, String witness, String reason) {}

    /**
     * Stores a witness's checks of a tick as one JDBC batch, on the transaction's connection; results of nodes
     * missing from {@code ids} (removed while being checked) are left out.
     */
    public void insertChecks(Instant tick, String witness, Map<String, Long> ids, List<CheckResult> results) {
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

    /** Records that {@code witness} could not judge the tick; a second fault of the same tick is ignored. */
    public void insertFault(Instant tick, String witness, String reason) {
        em.createNativeQuery("insert into witness_fault (tick, witness, reason) values (?1, ?2, ?3)"
                        + " on conflict do nothing")
                .setParameter(1, Timestamp.from(tick))
                .setParameter(2, witness)
                .setParameter(3, reason)
                .executeUpdate();
    }

    /** Inserts the tick's row: true when this witness was first, and so decides the tick. */
    public boolean claimTick(Instant tick, String witness, int nodes, long checkMillis) {
        int claimed = em.createNativeQuery("insert into witness_tick (tick, witness, nodes, check_ms)"
                        + " values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, Timestamp.from(tick))
                .setParameter(2, witness)
                .setParameter(3, nodes)
                .setParameter(4, (int) Math.min(Integer.MAX_VALUE, checkMillis))
                .executeUpdate();
        return claimed == 1;
    }

    /** The hash and size the registry has for the link {@code name}; empty when there is none or it is taken down. */
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

    /**
     * Takes the one lock every change of the node table takes, for the rest of the transaction. A transaction-scoped
     * advisory lock first: row locks alone ({@code for update}) lock nothing while the table is empty, so two
     * witnesses starting at once would both add the configured nodes and one would fail.
     */
    public void lockNodes() {
        em.createNativeQuery("select pg_advisory_xact_lock(" + NODE_LOCK_KEY + ")")
                .getResultList();
        em.createNativeQuery("select id from node order by id for update").getResultList();
    }

    /**
     * Per node that failed a check in the tick, seen by a witness without a fault: what failed (a wrong canary with
     * the bytes that came) and how many such witnesses saw it.
     */
    public List<Failure> failures(Instant tick) {
        List<?> rows = em.createNativeQuery("select c.node_id,"
                        // A wrong canary says which bytes came: its detail goes into the strike's reasons.
                        + " string_agg(distinct c.check_kind || ' ' || c.outcome || case when c.outcome ="
                        + " 'wrong_content' then ' (' || c.detail || ')' else '' end, ', '),"
                        + " count(distinct c.witness)"
                        + " from check_result c where c.tick = ?1 and c.outcome not in ('ok', 'not_checked', 'local_error')"
                        + " and not exists (select 1 from witness_fault f where f.tick = c.tick"
                        + " and f.witness = c.witness) group by c.node_id")
                .setParameter(1, Timestamp.from(tick))
                .getResultList();
        List<Failure> failures = new ArrayList<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            failures.add(new Failure(
                    ((Number) columns[0]).longValue(), (String) columns[1], ((Number) columns[2]).intValue()));
        }
        return failures;
    }

    /** The ids of the nodes a witness without a fault checked in the tick. */
    public Set<Long> checkedNodes(Instant tick) {
        List<?> rows = em.createNativeQuery("select distinct c.node_id from check_result c where c.tick = ?1"
                        + " and not exists (select 1 from witness_fault f where f.tick = c.tick"
                        + " and f.witness = c.witness)")
                .setParameter(1, Timestamp.from(tick))
                .getResultList();
        Set<Long> ids = new HashSet<>();
        rows.forEach(id -> ids.add(((Number) id).longValue()));
        return ids;
    }

    /** Records a strike against the node in the tick: 1, or 0 when it has one for that tick already. */
    public int insertStrike(long node, Instant tick, String reasons, int witnesses) {
        return em.createNativeQuery("insert into strike (node_id, tick, reasons, witnesses)"
                        + " values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, node)
                .setParameter(2, Timestamp.from(tick))
                .setParameter(3, reasons)
                .setParameter(4, witnesses)
                .executeUpdate();
    }

    /** Per node id, its strikes after {@code since} and after its last change of state. */
    public Map<Long, Integer> strikesSince(Instant since) {
        // A strike before a node's last change of state (a revival) no longer counts against it.
        List<?> rows = em.createNativeQuery("select s.node_id, count(*) from strike s join node n on n.id = s.node_id"
                        + " where s.tick > ?1 and s.tick > n.state_since group by s.node_id")
                .setParameter(1, Timestamp.from(since))
                .getResultList();
        Map<Long, Integer> counts = new HashMap<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            counts.put(((Number) columns[0]).longValue(), ((Number) columns[1]).intValue());
        }
        return counts;
    }

    /** How many kills of the node were refused within the last {@code window}. */
    public int killRefusalsWithin(long node, Duration window) {
        Number recent = (Number) em.createNativeQuery("select count(*) from node_event where node_id = ?1"
                        + " and kind = 'kill_refused' and at > now() - make_interval(secs => ?2)")
                .setParameter(1, node)
                .setParameter(2, (double) window.toSeconds())
                .getSingleResult();
        return recent.intValue();
    }

    /** Marks the claimed tick decided, with its figures. */
    public void markDecided(Instant claimed, int failed, int strikes, int kills) {
        em.createNativeQuery("update witness_tick set decided_at = now(), failed = ?2, strikes = ?3, kills = ?4"
                        + " where tick = ?1")
                .setParameter(1, Timestamp.from(claimed))
                .setParameter(2, failed)
                .setParameter(3, strikes)
                .setParameter(4, kills)
                .executeUpdate();
    }

    /** Supersedes the open (pending or applied) DNS changes of an address in a record. */
    public void supersedeDnsChanges(String record, String address) {
        em.createNativeQuery("update dns_change set state = 'superseded' where record = ?1 and address = ?2"
                        + " and state in ('pending', 'applied')")
                .setParameter(1, record)
                .setParameter(2, address)
                .executeUpdate();
    }

    /** Queues a pending DNS change ({@code action} add or remove) of the node's address in its record. */
    public void insertDnsChange(long node, String record, String address, String action, String reason) {
        em.createNativeQuery("insert into dns_change (node_id, record, address, action, reason)"
                        + " values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, node)
                .setParameter(2, record)
                .setParameter(3, address)
                .setParameter(4, action)
                .setParameter(5, reason)
                .executeUpdate();
    }

    /** Adds an entry to the node's history. */
    public void insertEvent(long node, String nodeName, String kind, String reason, String actor) {
        em.createNativeQuery("insert into node_event (node_id, node_name, kind, reason, actor)"
                        + " values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, node)
                .setParameter(2, nodeName)
                .setParameter(3, kind)
                .setParameter(4, reason)
                .setParameter(5, actor)
                .executeUpdate();
    }

    /** "record address" of every open (pending or applied) DNS change. */
    public Set<String> openDnsChanges() {
        Set<String> open = new HashSet<>();
        for (Object row : em.createNativeQuery(
                        "select record || ' ' || address from dns_change where state in ('pending', 'applied')")
                .getResultList()) {
            open.add((String) row);
        }
        return open;
    }

    /** The node's strikes within the last hour. */
    public int strikesLastHour(long node) {
        Number strikes = (Number) em.createNativeQuery(
                        "select count(*) from strike where node_id = ?1 and tick > now() - interval '1 hour'")
                .setParameter(1, node)
                .getSingleResult();
        return strikes.intValue();
    }

    /** Every witness's checks of the node in the last tick that checked it. */
    public List<LastCheck> lastChecks(long node) {
        return rows(
                        "select c.check_kind, c.outcome, c.latency_ms, c.detail, c.tick, c.witness from check_result c"
                                + " where c.node_id = ?1 and c.tick = (select max(tick) from check_result where node_id = ?1)"
                                + " order by c.witness, c.check_kind",
                        node)
                .stream()
                .map(c -> new LastCheck(
                        (String) c[0], (String) c[1], integer(c[2]), (String) c[3], instant(c[4]), (String) c[5]))
                .toList();
    }

    /** The node's strikes within the last hour, oldest first. */
    public List<Strike> strikes(long node) {
        return rows(
                        "select tick, reasons, witnesses from strike where node_id = ?1"
                                + " and tick > now() - interval '1 hour' order by tick",
                        node)
                .stream()
                .map(c -> new Strike(instant(c[0]), (String) c[1], integer(c[2])))
                .toList();
    }

    /** The node's last 50 events, newest first. */
    public List<NodeEvent> nodeEvents(long node) {
        return rows("select kind, reason, actor, at from node_event where node_id = ?1 order by at desc limit 50", node)
                .stream()
                .map(c -> new NodeEvent((String) c[0], (String) c[1], (String) c[2], instant(c[3])))
                .toList();
    }

    /** The node's last 20 DNS changes, newest first. */
    public List<NodeDnsChange> nodeDnsChanges(long node) {
        return rows(
                        "select action, state, reason, attempts, last_error, created_at, confirmed_at from dns_change"
                                + " where node_id = ?1 order by id desc limit 20",
                        node)
                .stream()
                .map(c -> new NodeDnsChange(
                        (String) c[0],
                        (String) c[1],
                        (String) c[2],
                        integer(c[3]),
                        (String) c[4],
                        instant(c[5]),
                        instant(c[6])))
                .toList();
    }

    /** The last {@code limit} ticks, newest first. */
    public List<Tick> ticks(int limit) {
        return rows(
                        "select tick, witness, nodes, failed, strikes, kills, check_ms, decided_at from witness_tick"
                                + " order by tick desc limit ?1",
                        limit)
                .stream()
                .map(c -> new Tick(
                        instant(c[0]),
                        (String) c[1],
                        integer(c[2]),
                        integer(c[3]),
                        integer(c[4]),
                        integer(c[5]),
                        integer(c[6]),
                        instant(c[7])))
                .toList();
    }

    /** The last {@code limit} witness faults, newest tick first. */
    public List<Fault> faults(int limit) {
        return rows("select tick, witness, reason from witness_fault order by tick desc limit ?1", limit).stream()
                .map(c -> new Fault(instant(c[0]), (String) c[1], (String) c[2]))
                .toList();
    }

    /** The last {@code limit} events of all nodes, newest first. */
    public List<FleetEvent> events(int limit) {
        return rows("select node_name, kind, reason, actor, at from node_event order by id desc limit ?1", limit)
                .stream()
                .map(c -> new FleetEvent((String) c[0], (String) c[1], (String) c[2], (String) c[3], instant(c[4])))
                .toList();
    }

    /** The last {@code limit} DNS changes, newest first; only the open ones (pending or applied) if asked. */
    public List<DnsChange> dnsChanges(boolean openOnly, int limit) {
        return rows(
                        "select id, record, address, action, state, reason, attempts, last_error, created_at,"
                                + " confirmed_at from dns_change"
                                + (openOnly ? " where state in ('pending', 'applied')" : "")
                                + " order by id desc limit ?1",
                        limit)
                .stream()
                .map(c -> new DnsChange(
                        ((Number) c[0]).longValue(),
                        (String) c[1],
                        (String) c[2],
                        (String) c[3],
                        (String) c[4],
                        (String) c[5],
                        integer(c[6]),
                        (String) c[7],
                        instant(c[8]),
                        instant(c[9])))
                .toList();
    }

    private List<Object[]> rows(String sql, Object parameter) {
        List<?> rows = em.createNativeQuery(sql).setParameter(1, parameter).getResultList();
        List<Object[]> columns = new ArrayList<>(rows.size());
        for (Object row : rows) {
            columns.add(row instanceof Object[] many ? many : new Object[] {row});
        }
        return columns;
    }

    private static int integer(Object value) {
        return ((Number) value).intValue();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        } else if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        } else if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        throw new IllegalStateException("not a time: " + value.getClass().getName());
    }

    private static String abbreviate(String detail) {
        return detail == null ? "" : detail.length() <= 500 ? detail : detail.substring(0, 500);
    }
}
