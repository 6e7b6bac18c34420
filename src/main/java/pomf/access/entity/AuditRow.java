package pomf.access.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.OffsetDateTime;

/** One line of the audit trail: an administrator's action, or a change of a node (by an admin or the witness). */
public record AuditRow(OffsetDateTime at, String actor, String address, String action, String target, String detail) {

    public JsonObject toJson() {
        return Json.createObjectBuilder()
                .add("at", at.toString())
                .add("actor", actor)
                .add("address", address)
                .add("action", action)
                .add("target", target)
                .add("detail", detail)
                .build();
    }
}
