package pomf.admin.entity;

import jakarta.json.JsonObject;
import java.util.Map;

/**
 * One edge's cache figures, read live from its {@code /metrics}; {@code error} is set (and the figures are empty)
 * when the edge did not answer, which is a state to show, not a failure of the request.
 */
public record EdgeFigures(
        String edge,
        String error,
        Map<String, Long> answers,
        long bytesFromCache,
        long bytesFromOrigin,
        double hitRatio,
        long storeBytes,
        boolean originUp) {

    public static EdgeFigures unreachable(String edge, String error) {
        return new EdgeFigures(edge, error, Map.of(), 0, 0, 0, 0, false);
    }

    public JsonObject toJson() {
        var json = jakarta.json.Json.createObjectBuilder().add("edge", edge).add("reachable", error == null);
        if (error != null) {
            return json.add("error", error).build();
        }
        var byStatus = jakarta.json.Json.createObjectBuilder();
        answers.forEach(byStatus::add);
        return json.add("answers", byStatus)
                .add("bytesFromCache", bytesFromCache)
                .add("bytesFromOrigin", bytesFromOrigin)
                .add("hitRatio", Double.isFinite(hitRatio) ? hitRatio : 0)
                .add("storeBytes", storeBytes)
                .add("originUp", originUp)
                .build();
    }
}
