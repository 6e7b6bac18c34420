package pomf.admin.control;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pomf.reporting.entity.ReportChart;
import pomf.reporting.entity.ReportColumn;
import pomf.reporting.entity.ReportResult;

/**
 * A report's rows as a Chart.js configuration, following the chart line of its header ({@code x=}, {@code y=},
 * {@code series=}): one dataset per y column, or per value of the series column for a single y.
 */
public final class ReportChartJs {
    private static final String[] COLOURS = {
        "#2f6fdb", "#c0392b", "#1e8449", "#b9770e", "#7d3c98", "#17a589", "#566573", "#d35400"
    };

    private ReportChartJs() {}

    /** The chart's JSON, or null when the report has no chart or its columns are missing. */
    public static String of(ReportResult result) {
        if (result.chart().isEmpty()) {
            return null;
        }
        ReportChart chart = result.chart().get();
        int x = column(result, chart.x());
        int series = chart.series().map(s -> column(result, s)).orElse(-2);
        List<Integer> ys = chart.y().stream().map(y -> column(result, y)).toList();
        if (x < 0 || series == -1 || ys.contains(-1) || ys.isEmpty()) {
            return null;
        }
        Set<String> labels = new LinkedHashSet<>();
        Map<String, Map<String, Double>> sets = new LinkedHashMap<>();
        for (List<Object> row : result.rows()) {
            String label = String.valueOf(row.get(x));
            labels.add(label);
            for (int i = 0; i < ys.size(); i++) {
                String set = series >= 0
                        ? String.valueOf(row.get(series))
                                + (ys.size() > 1 ? " " + chart.y().get(i) : "")
                        : chart.y().get(i);
                Object value = row.get(ys.get(i));
                double number = value instanceof Number n ? n.doubleValue() : 0;
                sets.computeIfAbsent(set, k -> new LinkedHashMap<>()).merge(label, number, Double::sum);
            }
        }
        JsonArrayBuilder datasets = Json.createArrayBuilder();
        List<String> names = new ArrayList<>(sets.keySet());
        for (int i = 0; i < names.size(); i++) {
            JsonArrayBuilder data = Json.createArrayBuilder();
            for (String label : labels) {
                data.add(sets.get(names.get(i)).getOrDefault(label, 0.0));
            }
            String colour = COLOURS[i % COLOURS.length];
            datasets.add(Json.createObjectBuilder()
                    .add("label", names.get(i))
                    .add("data", data)
                    .add("borderColor", colour)
                    .add("backgroundColor", colour)
                    .add("pointRadius", 0)
                    .add("fill", "area".equals(chart.kind())));
        }
        JsonArrayBuilder xLabels = Json.createArrayBuilder();
        labels.forEach(xLabels::add);
        JsonObjectBuilder options = Json.createObjectBuilder()
                .add("animation", false)
                .add("maintainAspectRatio", false)
                .add(
                        "scales",
                        Json.createObjectBuilder()
                                .add("y", Json.createObjectBuilder().add("beginAtZero", true)));
        String type = "bar".equals(chart.kind()) ? "bar" : "line";
        return Series.scriptSafe(Json.createObjectBuilder()
                .add("type", type)
                .add("data", Json.createObjectBuilder().add("labels", xLabels).add("datasets", datasets))
                .add("options", options)
                .build()
                .toString());
    }

    private static int column(ReportResult result, String name) {
        List<ReportColumn> columns = result.columns();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
