package pomf.witness.boundary;

import jakarta.ejb.Stateless;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.List;
import pomf.witness.entity.Node;

/** Reads what the witness stored, for the JSON API and the admin: checks, strikes, events, ticks, DNS changes. */
@Stateless
public class WitnessRecords {

    @PersistenceContext
    EntityManager em;

    /** A node with its strikes over the last hour and its last tick's checks. */
    public JsonObject withStatus(Node node) {
        Number strikes = (Number) em.createNativeQuery(
                        "select count(*) from strike where node_id = ?1 and tick > now() - interval '1 hour'")
                .setParameter(1, node.getId())
                .getSingleResult();
        JsonArray checks = rows(
                "select c.check_kind, c.outcome, c.latency_ms, c.detail, c.tick, c.witness from check_result c"
                        + " where c.node_id = ?1 and c.tick = (select max(tick) from check_result where node_id = ?1)"
                        + " order by c.witness, c.check_kind",
                node.getId(),
                "check",
                "outcome",
                "latencyMs",
                "detail",
                "tick",
                "witness");
        return Json.createObjectBuilder(node.toJson())
                .add("strikesLastHour", strikes.intValue())
                .add("lastChecks", checks)
                .build();
    }

    public JsonObject details(Node node) {
        return Json.createObjectBuilder(withStatus(node))
                .add(
                        "strikes",
                        rows(
                                "select tick, reasons, witnesses from strike where node_id = ?1"
                                        + " and tick > now() - interval '1 hour' order by tick",
                                node.getId(),
                                "tick",
                                "reasons",
                                "witnesses"))
                .add(
                        "events",
                        rows(
                                "select kind, reason, actor, at from node_event where node_id = ?1 order by at desc limit 50",
                                node.getId(),
                                "kind",
                                "reason",
                                "actor",
                                "at"))
                .add(
                        "dnsChanges",
                        rows(
                                "select action, state, reason, attempts, last_error, created_at, confirmed_at from dns_change"
                                        + " where node_id = ?1 order by id desc limit 20",
                                node.getId(),
                                "action",
                                "state",
                                "reason",
                                "attempts",
                                "lastError",
                                "createdAt",
                                "confirmedAt"))
                .build();
    }

    public JsonArray ticks(int limit) {
        return rows(
                "select tick, witness, nodes, failed, strikes, kills, check_ms, decided_at from witness_tick"
                        + " order by tick desc limit ?1",
                limit,
                "tick",
                "witness",
                "nodes",
                "failed",
                "strikes",
                "kills",
                "checkMs",
                "decidedAt");
    }

    public JsonArray faults(int limit) {
        return rows(
                "select tick, witness, reason from witness_fault order by tick desc limit ?1",
                limit,
                "tick",
                "witness",
                "reason");
    }

    public JsonArray events(int limit) {
        return rows(
                "select node_name, kind, reason, actor, at from node_event order by id desc limit ?1",
                limit,
                "node",
                "kind",
                "reason",
                "actor",
                "at");
    }

    public JsonArray dnsChanges(boolean openOnly, int limit) {
        return rows(
                "select id, record, address, action, state, reason, attempts, last_error, created_at,"
                        + " confirmed_at from dns_change" + (openOnly ? " where state in ('pending', 'applied')" : "")
                        + " order by id desc limit ?1",
                limit,
                "id",
                "record",
                "address",
                "action",
                "state",
                "reason",
                "attempts",
                "lastError",
                "createdAt",
                "confirmedAt");
    }

    private JsonArray rows(String sql, Object parameter, String... names) {
        List<?> rows = em.createNativeQuery(sql).setParameter(1, parameter).getResultList();
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (Object row : rows) {
            Object[] columns = row instanceof Object[] many ? many : new Object[] {row};
            JsonObjectBuilder object = Json.createObjectBuilder();
            for (int i = 0; i < names.length; i++) {
                add(object, names[i], columns[i]);
            }
            array.add(object);
        }
        return array.build();
    }

    private static void add(JsonObjectBuilder object, String name, Object value) {
        if (value == null) {
            object.addNull(name);
        } else if (value instanceof Number number) {
            object.add(name, number.longValue());
        } else if (value instanceof Timestamp timestamp) {
            object.add(name, timestamp.toInstant().toString());
        } else if (value instanceof OffsetDateTime time) {
            object.add(name, time.toInstant().toString());
        } else {
            object.add(name, value.toString());
        }
    }
}
