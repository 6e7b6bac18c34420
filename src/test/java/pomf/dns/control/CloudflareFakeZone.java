package pomf.dns.control;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The records of {@link CloudflareFake}'s zone and what list, create and delete do to them, answered in the envelope.
 * The numbers of the validation errors (9005, 9021, ...) are those seen in reports, not documented ones: a provider
 * should not depend on them. 81057/81058 (an identical record) and 81044 (no such record) are widely reported.
 */
final class CloudflareFakeZone {
    record Answer(int status, JsonObject body) {}

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

    private final String zoneId;
    private final String zoneName;
    private final List<CloudflareFake.Record> records = new ArrayList<>();
    private int perPageMax = 5;
    private int duplicateCode = 81057;
    private String duplicateMessage = "The record already exists.";

    CloudflareFakeZone(String zoneId, String zoneName) {
        this.zoneId = zoneId;
        this.zoneName = zoneName;
    }

    synchronized String add(String type, String name, String content, int ttl, boolean proxied) {
        String id = UUID.randomUUID().toString().replace("-", "");
        records.add(new CloudflareFake.Record(
                id, type.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT), content, ttl, proxied));
        return id;
    }

    synchronized List<CloudflareFake.Record> records() {
        return List.copyOf(records);
    }

    synchronized void perPageMax(int max) {
        perPageMax = max;
    }

    synchronized void duplicate(int code, String message) {
        duplicateCode = code;
        duplicateMessage = message;
    }

    /** {@code type}, {@code name} (exact, any case) and {@code content} filter; {@code page} and {@code per_page}. */
    synchronized Answer list(Map<String, String> query) {
        List<CloudflareFake.Record> found = records.stream()
                .filter(r -> !query.containsKey("type") || r.type().equalsIgnoreCase(query.get("type")))
                .filter(r -> !query.containsKey("name") || r.name().equalsIgnoreCase(query.get("name")))
                .filter(r -> !query.containsKey("content") || r.content().equals(query.get("content")))
                .toList();
        int perPage = Math.max(1, Math.min(perPageMax, Integer.parseInt(query.getOrDefault("per_page", "100"))));
        int page = Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
        int totalPages = Math.max(1, (found.size() + perPage - 1) / perPage);
        List<CloudflareFake.Record> shown =
                found.subList(Math.min(found.size(), (page - 1) * perPage), Math.min(found.size(), page * perPage));
        JsonArrayBuilder result = Json.createArrayBuilder();
        shown.forEach(r -> result.add(json(r)));
        JsonObject info = Json.createObjectBuilder()
                .add("page", page)
                .add("per_page", perPage)
                .add("count", shown.size())
                .add("total_count", found.size())
                .add("total_pages", totalPages)
                .build();
        return new Answer(200, envelope(result.build()).add("result_info", info).build());
    }

    synchronized Answer create(JsonObject body) {
        String type = body.getString("type", "").toUpperCase(Locale.ROOT);
        String name = body.getString("name", "").toLowerCase(Locale.ROOT);
        String content = body.getString("content", "");
        int ttl = body.getInt("ttl", 1);
        if (!type.equals("A")) {
            return failure(400, 9000, "This fake holds A records only");
        }
        if (!IPV4.matcher(content).matches()) {
            return failure(400, 9005, "Content for A record must be a valid IPv4 address.");
        }
        if (ttl != 1 && (ttl < 60 || ttl > 86400)) {
            return failure(400, 9021, "Invalid TTL. Must be between 60 and 86400 seconds, or 1 for Automatic.");
        }
        if (!name.equals(zoneName) && !name.endsWith("." + zoneName)) {
            return failure(400, 9007, "Content for A record is invalid. The name is not in the zone.");
        }
        if (records.stream()
                .anyMatch(r -> r.type().equals(type)
                        && r.name().equals(name)
                        && r.content().equals(content))) {
            return failure(400, duplicateCode, duplicateMessage);
        }
        String id = add(type, name, content, ttl, body.getBoolean("proxied", false));
        CloudflareFake.Record created =
                records.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
        return new Answer(200, envelope(json(created)).build());
    }

    synchronized Answer delete(String id) {
        if (!records.removeIf(r -> r.id().equals(id))) {
            return failure(404, 81044, "Record does not exist.");
        }
        return new Answer(
                200, envelope(Json.createObjectBuilder().add("id", id).build()).build());
    }

    static Answer failure(int status, int code, String message) {
        JsonObject body = Json.createObjectBuilder()
                .add("success", false)
                .add(
                        "errors",
                        Json.createArrayBuilder()
                                .add(Json.createObjectBuilder()
                                        .add("code", code)
                                        .add("message", message)))
                .add("messages", JsonValue.EMPTY_JSON_ARRAY)
                .add("result", JsonValue.NULL)
                .build();
        return new Answer(status, body);
    }

    private static JsonObjectBuilder envelope(JsonValue result) {
        return Json.createObjectBuilder()
                .add("success", true)
                .add("errors", JsonValue.EMPTY_JSON_ARRAY)
                .add("messages", JsonValue.EMPTY_JSON_ARRAY)
                .add("result", result);
    }

    private JsonObject json(CloudflareFake.Record r) {
        return Json.createObjectBuilder()
                .add("id", r.id())
                .add("zone_id", zoneId)
                .add("zone_name", zoneName)
                .add("name", r.name())
                .add("type", r.type())
                .add("content", r.content())
                .add("proxiable", true)
                .add("proxied", r.proxied())
                .add("ttl", r.ttl())
                .add("locked", false)
                .add("meta", Json.createObjectBuilder().add("auto_added", false))
                .add("comment", JsonValue.NULL)
                .add("tags", JsonValue.EMPTY_JSON_ARRAY)
                .add("created_on", "2024-01-01T00:00:00.000000Z")
                .add("modified_on", "2024-01-01T00:00:00.000000Z")
                .build();
    }
}
