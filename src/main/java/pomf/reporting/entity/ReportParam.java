package pomf.reporting.entity;

import java.util.Optional;

/**
 * A parameter a report declares: {@code -- param: from timestamptz = now() - interval '2 days'}. The default is a
 * SQL expression from the report file itself, evaluated by the database when the caller gives no value; without
 * one the parameter is required.
 */
public record ReportParam(String name, ParamType type, Optional<String> defaultExpression) {
    public boolean required() {
        return defaultExpression.isEmpty();
    }
}
