package pomf.admin.entity;

import jakarta.json.JsonObject;

/** One edge's recorded traffic summed over the last hour ({@code traffic_minute}). */
public record EdgeTrafficRow(
        String node,
        long requests,
        long bytesSent,
        long hits,
        long misses,
        long stale,
        long revalidated,
        long bytesFromOrigin) {

    /** The cache page's JSON of it: the columns' names in camel case. */
    public JsonObject toJson() {
        return jakarta.json.Json.createObjectBuilder()
                .add("node", node)
                .add("requests", requests)
                .add("bytesSent", bytesSent)
                .add("hits", hits)
                .add("misses", misses)
                .add("stale", stale)
                .add("revalidated", revalidated)
                .add("bytesFromOrigin", bytesFromOrigin)
                .build();
    }
}
