package pomf.admin.entity;

import jakarta.json.JsonObject;

/**
 * What one action did to one item, for the answer of single and bulk actions alike. {@code result} is a fixed word
 * ({@code deleted}, {@code banned}, {@code unbanned}, {@code not_found}, {@code error}, ...); {@code detail} says more.
 */
public record Outcome(String target, String result, String detail) {
    public boolean found() {
        return !"not_found".equals(result);
    }

    public JsonObject toJson() {
        var json = jakarta.json.Json.createObjectBuilder().add("target", target).add("result", result);
        return JsonFields.add(json, "detail", detail).build();
    }
}
