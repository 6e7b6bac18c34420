package pomf.admin.control;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values per name over evenly spaced time buckets, with the buckets nobody reported filled with zero (a node that
 * served nothing for ten minutes shows a dip, not a line drawn across the gap). Renders as a Chart.js line chart.
 */
public final class Series {
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private static final String[] COLOURS = {
        "#2f6fdb", "#c0392b", "#1e8449", "#b9770e", "#7d3c98", "#17a589", "#566573", "#d35400"
    };

    private final List<OffsetDateTime> buckets = new ArrayList<>();
    private final Map<String, double[]> values = new TreeMap<>();
    private final OffsetDateTime from;
    private final int bucketMinutes;

    public Series(OffsetDateTime from, OffsetDateTime to, int bucketMinutes) {
        this.bucketMinutes = Math.max(1, bucketMinutes);
        long step = this.bucketMinutes * 60L;
        long first = Math.floorDiv(from.toEpochSecond(), step) * step;
        this.from = OffsetDateTime.ofInstant(Instant.ofEpochSecond(first), from.getOffset());
        for (OffsetDateTime t = this.from; !t.isAfter(to); t = t.plusMinutes(this.bucketMinutes)) {
            buckets.add(t);
        }
    }

    public void put(String name, OffsetDateTime bucket, double value) {
        long index = (bucket.toEpochSecond() - from.toEpochSecond()) / (bucketMinutes * 60L);
        if (index < 0 || index >= buckets.size()) {
            return;
        }
        values.computeIfAbsent(name, n -> new double[buckets.size()])[(int) index] += value;
    }

    public List<OffsetDateTime> buckets() {
        return buckets;
    }

    public Map<String, double[]> values() {
        return values;
    }

    /** A Chart.js line chart: one line per name, labels in UTC. */
    public String chartJs(String unit) {
        return chartJs(unit, "line");
    }

    /** A Chart.js chart of {@code type} ("line", or "bar" stacked per name), labels in UTC. */
    public String chartJs(String unit, String type) {
        boolean bar = "bar".equals(type);
        JsonArrayBuilder labels = Json.createArrayBuilder();
        buckets.forEach(b -> labels.add(LABEL.format(b)));
        JsonArrayBuilder datasets = Json.createArrayBuilder();
        int i = 0;
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            JsonArrayBuilder data = Json.createArrayBuilder();
            for (double v : e.getValue()) {
                data.add(Math.round(v * 1000) / 1000.0);
            }
            String colour = COLOURS[i++ % COLOURS.length];
            datasets.add(Json.createObjectBuilder()
                    .add("label", e.getKey())
                    .add("data", data)
                    .add("borderColor", colour)
                    .add("backgroundColor", colour)
                    .add("pointRadius", 0)
                    .add("borderWidth", 1.5)
                    .add("tension", 0.2));
        }
        JsonObjectBuilder options = Json.createObjectBuilder()
                .add("animation", false)
                .add("maintainAspectRatio", false)
                .add(
                        "interaction",
                        Json.createObjectBuilder().add("mode", "index").add("intersect", false))
                .add(
                        "scales",
                        Json.createObjectBuilder()
                                .add("x", Json.createObjectBuilder().add("stacked", bar))
                                .add(
                                        "y",
                                        Json.createObjectBuilder()
                                                .add("beginAtZero", true)
                                                .add("stacked", bar)
                                                .add(
                                                        "title",
                                                        Json.createObjectBuilder()
                                                                .add("display", true)
                                                                .add("text", unit))));
        JsonObject chart = Json.createObjectBuilder()
                .add("type", bar ? "bar" : "line")
                .add("data", Json.createObjectBuilder().add("labels", labels).add("datasets", datasets))
                .add("options", options)
                .build();
        return scriptSafe(chart.toString());
    }

    /**
     * JSON that can sit inside a script element: every {@code <} escaped, so no label (a file name, say) can close
     * the element and start markup of its own.
     */
    public static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }
}
