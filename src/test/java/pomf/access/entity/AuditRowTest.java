package pomf.access.entity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class AuditRowTest {
    @Test
    void aLineIsWrittenWithEveryFieldAndItsTimeInUtc() {
        AuditRow row = new AuditRow(
                OffsetDateTime.parse("2026-11-01T10:30:15.250Z"),
                Actor.TOKEN,
                "203.0.113.9",
                "ban",
                "0123abcd",
                "reason: \"spam\"");

        JsonObject json = row.toJson();

        assertThat(json.keySet()).containsExactly("at", "actor", "address", "action", "target", "detail");
        assertThat(json.getString("at")).isEqualTo("2026-11-01T10:30:15.250Z");
        assertThat(json.getString("actor")).isEqualTo("api-token");
        assertThat(json.getString("address")).isEqualTo("203.0.113.9");
        assertThat(json.getString("action")).isEqualTo("ban");
        assertThat(json.getString("target")).isEqualTo("0123abcd");
        assertThat(json.getString("detail")).isEqualTo("reason: \"spam\"");
        assertThat(json.toString()).contains("\"detail\":\"reason: \\\"spam\\\"\"");
    }

    @Test
    void aNodeChangeHasAnEmptyAddress() {
        AuditRow row = new AuditRow(
                OffsetDateTime.parse("2026-11-01T10:30:00Z"), "witness", "", "node.kill", "edge-1", "3 probes failed");

        assertThat(row.toJson().getString("address")).isEmpty();
        assertThat(row.toJson().getString("at")).isEqualTo("2026-11-01T10:30Z");
    }
}
