package pomf.reporting.control;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportParam;

/**
 * The values a run binds: those given, checked against the declared types, and the defaults of the others,
 * evaluated by the database in the run's own transaction (so {@code now()} is the same instant as the report's).
 */
final class ReportParameters {
    private ReportParameters() {}

    /** Checks what was given without touching the database: unknown names, bad values, missing required ones. */
    static Map<String, Object> given(Report report, Map<String, String> raw) {
        for (String name : raw.keySet()) {
            if (report.param(name).isEmpty()) {
                throw new ReportParameterException(
                        name,
                        "the report " + report.name() + " has no parameter " + name
                                + " (it takes: "
                                + String.join(
                                        ", ",
                                        report.params().stream()
                                                .map(ReportParam::name)
                                                .toList())
                                + ")");
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ReportParam param : report.params()) {
            String text = raw.get(param.name());
            if (text != null && !(text.isBlank() && param.defaultExpression().isPresent())) {
                try {
                    values.put(param.name(), param.type().parse(text));
                } catch (IllegalArgumentException e) {
                    throw new ReportParameterException(
                            param.name(),
                            "parameter " + param.name() + " (" + param.type().sqlName() + "): " + e.getMessage());
                }
            } else if (param.required()) {
                throw new ReportParameterException(
                        param.name(),
                        "parameter " + param.name() + " (" + param.type().sqlName() + ") is required");
            }
        }
        return values;
    }

    /** The given values plus the evaluated defaults, in the order the report declares them. */
    static Map<String, Object> withDefaults(Connection c, Report report, Map<String, Object> given)
            throws SQLException {
        List<ReportParam> missing = report.params().stream()
                .filter(p -> !given.containsKey(p.name()))
                .toList();
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (!missing.isEmpty()) {
            StringBuilder select = new StringBuilder("select ");
            for (int i = 0; i < missing.size(); i++) {
                ReportParam p = missing.get(i);
                select.append(i == 0 ? "" : ", ")
                        .append('(')
                        .append(p.defaultExpression().orElseThrow())
                        .append(")::")
                        .append(p.type().sqlName());
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(select.toString())) {
                rs.next();
                for (int i = 0; i < missing.size(); i++) {
                    ReportParam p = missing.get(i);
                    defaults.put(p.name(), rs.getObject(i + 1, p.type().javaType()));
                }
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ReportParam p : report.params()) {
            values.put(p.name(), given.containsKey(p.name()) ? given.get(p.name()) : defaults.get(p.name()));
        }
        return values;
    }
}
