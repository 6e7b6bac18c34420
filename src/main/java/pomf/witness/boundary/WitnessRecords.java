package pomf.witness.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import pomf.witness.control.WitnessSql;
import pomf.witness.entity.Node;

/** Reads what the witness stored, for the JSON API and the admin: checks, strikes, events, ticks, DNS changes. */
@Stateless
public class WitnessRecords {

    @Inject
    WitnessSql sql;

    /** A node with its strikes over the last hour and its last tick's checks. */
    public JsonObject withStatus(Node node) {
        int strikes = sql.strikesLastHour(node.getId());
        JsonArray checks = array(sql.lastChecks(node.getId()), c -> Json.createObjectBuilder()
                .add("check", c.check())
                .add("outcome", c.outcome())
                .add("latencyMs", c.latencyMs())
                .add("detail", c.detail())
                .add("tick", time(c.tick()))
                .add("witness", c.witness()));
        return Json.createObjectBuilder(node.toJson())
                .add("strikesLastHour", strikes)
                .add("lastChecks", checks)
                .build();
    }

    /** A node with its status, its strikes over the last hour, its last events and DNS changes. */
    public JsonObject details(Node node) {
        return Json.createObjectBuilder(withStatus(node))
                .add("strikes", array(sql.strikes(node.getId()), s -> Json.createObjectBuilder()
                        .add("tick", time(s.tick()))
                        .add("reasons", s.reasons())
                        .add("witnesses", s.witnesses())))
                .add("events", array(sql.nodeEvents(node.getId()), e -> Json.createObjectBuilder()
                        .add("kind", e.kind())
                        .add("reason", e.reason())
                        .add("actor", e.actor())
                        .add("at", time(e.at()))))
                .add("dnsChanges", array(sql.nodeDnsChanges(node.getId()), d -> Json.createObjectBuilder()
                        .add("action", d.action())
                        .add("state", d.state())
                        .add("reason", d.reason())
                        .add("attempts", d.attempts())
                        .add("lastError", d.lastError())
                        .add("createdAt", time(d.createdAt()))
                        .add("confirmedAt", time(d.confirmedAt()))))
                .build();
    }

    /** The last {@code limit} ticks, newest first. */
    public JsonArray ticks(int limit) {
        return array(sql.ticks(limit), t -> Json.createObjectBuilder()
                .add("tick", time(t.tick()))
                .add("witness", t.witness())
                .add("nodes", t.nodes())
                .add("failed", t.failed())
                .add("strikes", t.strikes())
                .add("kills", t.kills())
                .add("checkMs", t.checkMs())
                .add("decidedAt", time(t.decidedAt())));
    }

    /** The last {@code limit} witness faults, newest first. */
    public JsonArray faults(int limit) {
        return array(sql.faults(limit), f -> Json.createObjectBuilder()
                .add("tick", time(f.tick()))
                .add("witness", f.witness())
                .add("reason", f.reason()));
    }

    /** The last {@code limit} node events of all nodes, newest first. */
    public JsonArray events(int limit) {
        return array(sql.events(limit), e -> Json.createObjectBuilder()
                .add("node", e.node())
                .add("kind", e.kind())
                .add("reason", e.reason())
                .add("actor", e.actor())
                .add("at", time(e.at())));
    }

    /** The last {@code limit} DNS changes, newest first; only the open ones if asked. */
    public JsonArray dnsChanges(boolean openOnly, int limit) {
        return array(sql.dnsChanges(openOnly, limit), d -> Json.createObjectBuilder()
                .add("id", d.id())
                .add("record", d.record())
                .add("address", d.address())
                .add("action", d.action())
                .add("state", d.state())
                .add("reason", d.reason())
                .add("attempts", d.attempts())
                .add("lastError", d.lastError())
                .add("createdAt", time(d.createdAt()))
                .add("confirmedAt", time(d.confirmedAt())));
    }

    private static <T> JsonArray array(List<T> rows, Function<T, JsonObjectBuilder> object) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        rows.forEach(row -> array.add(object.apply(row)));
        return array.build();
    }

    /** A time as ISO-8601 in UTC, or JSON null. */
    private static JsonValue time(Instant at) {
        return at == null ? JsonValue.NULL : Json.createValue(at.toString());
    }
}
