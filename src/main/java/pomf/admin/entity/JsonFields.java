package pomf.admin.entity;

import jakarta.json.JsonObjectBuilder;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** JSON spellings shared by the admin's records: UTC times with their Z, absent values as null. */
final class JsonFields {
    private JsonFields() {}

    static String time(LocalDateTime utc) {
        return utc == null ? null : utc.atOffset(ZoneOffset.UTC).toString();
    }

    static JsonObjectBuilder add(JsonObjectBuilder json, String key, String value) {
        return value == null ? json.addNull(key) : json.add(key, value);
    }
}
