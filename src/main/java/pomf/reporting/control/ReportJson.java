package pomf.reporting.control;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportChart;
import pomf.reporting.entity.ReportColumn;
import pomf.reporting.entity.ReportParam;
import pomf.reporting.entity.ReportResult;

/** Reports and their results as the JSON of {@code /api/v1/reports}: numbers as numbers, times as ISO text. */
public final class ReportJson {
    private ReportJson() {}

    public static JsonObject describe(Report report) {
        JsonArrayBuilder params = Json.createArrayBuilder();
        for (ReportParam p : report.params()) {
            JsonObjectBuilder param = Json.createObjectBuilder()
                    .add("name", p.name())
                    .add("type", p.type().sqlName());
            p.defaultExpression().ifPresentOrElse(d -> param.add("default", d), () -> param.add("required", true));
            params.add(param);
        }
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("name", report.name())
                .add("title", report.title())
                .add("description", report.description())
                .add("params", params);
        report.chart().ifPresent(c -> json.add("chart", chart(c)));
        return json.build();
    }

    public static JsonObject result(ReportResult result) {
        JsonObjectBuilder params = Json.createObjectBuilder();
        for (Map.Entry<String, Object> p : result.params().entrySet()) {
            add(params, p.getKey(), p.getValue());
        }
        JsonArrayBuilder columns = Json.createArrayBuilder();
        for (ReportColumn c : result.columns()) {
            columns.add(Json.createObjectBuilder().add("name", c.name()).add("type", c.type()));
        }
        JsonArrayBuilder rows = Json.createArrayBuilder();
        for (List<Object> row : result.rows()) {
            JsonArrayBuilder cells = Json.createArrayBuilder();
            row.forEach(v -> add(cells, v));
            rows.add(cells);
        }
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("name", result.name())
                .add("title", result.title())
                .add("params", params)
                .add("columns", columns)
                .add("rows", rows)
                .add("truncated", result.truncated());
        result.chart().ifPresent(c -> json.add("chart", chart(c)));
        return json.build();
    }

    private static JsonObject chart(ReportChart chart) {
        JsonArrayBuilder y = Json.createArrayBuilder();
        chart.y().forEach(y::add);
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("kind", chart.kind())
                .add("x", chart.x())
                .add("y", y);
        chart.series().ifPresent(s -> json.add("series", s));
        return json.build();
    }

    private static void add(JsonObjectBuilder object, String key, Object value) {
        object.add(key, jsonValue(value));
    }

    private static void add(JsonArrayBuilder array, Object value) {
        array.add(jsonValue(value));
    }

    private static JsonValue jsonValue(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof Long l) {
            return Json.createValue(l);
        }
        if (value instanceof Integer i) {
            return Json.createValue(i);
        }
        if (value instanceof BigDecimal d) {
            return Json.createValue(d);
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? Json.createValue(d.toString()) : Json.createValue(d);
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        return Json.createValue(value.toString());
    }
}
