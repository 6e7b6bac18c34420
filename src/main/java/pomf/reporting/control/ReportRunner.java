package pomf.reporting.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportColumn;
import pomf.reporting.entity.ReportResult;

/**
 * Runs a report on a connection it is lent: in a read-only transaction (rolled back, so a report can change
 * nothing), with a statement timeout and the session in UTC, binding every parameter; at most {@code maxRows} rows.
 */
public final class ReportRunner {
    private static final String QUERY_CANCELED = "57014";
    private final int timeoutSeconds;
    private final int maxRows;

    public ReportRunner(int timeoutSeconds, int maxRows) {
        this.timeoutSeconds = timeoutSeconds;
        this.maxRows = maxRows;
    }

    public ReportResult run(Connection c, Report report, Map<String, String> raw) throws SQLException {
        Map<String, Object> given = ReportParameters.given(report, raw);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement setup = c.createStatement()) {
            setup.execute("set transaction read only");
            setup.execute("set local statement_timeout = " + Math.max(1, timeoutSeconds) * 1000L);
            setup.execute("set local time zone 'UTC'");
            Map<String, Object> values = ReportParameters.withDefaults(c, report, given);
            try (PreparedStatement statement = c.prepareStatement(report.sql())) {
                for (int i = 0; i < report.bindOrder().size(); i++) {
                    statement.setObject(i + 1, values.get(report.bindOrder().get(i)));
                }
                statement.setMaxRows(maxRows + 1);
                statement.setFetchSize(1000);
                try (ResultSet rs = statement.executeQuery()) {
                    return read(report, values, rs);
                }
            }
        } catch (SQLException e) {
            throw translated(report, e);
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private ReportResult read(Report report, Map<String, Object> values, ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<ReportColumn> columns = new ArrayList<>();
        for (int col = 1; col <= meta.getColumnCount(); col++) {
            columns.add(new ReportColumn(meta.getColumnLabel(col), simpleType(meta.getColumnTypeName(col))));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
            if (rows.size() == maxRows) {
                truncated = true;
                break;
            }
            List<Object> row = new ArrayList<>(columns.size());
            for (int col = 1; col <= columns.size(); col++) {
                row.add(value(rs, col, columns.get(col - 1).type()));
            }
            rows.add(row);
        }
        return new ReportResult(
                report.name(), report.title(), values, List.copyOf(columns), rows, truncated, report.chart());
    }

    static String simpleType(String pgType) {
        return switch (pgType) {
            case "int2", "int4", "int8", "oid" -> "integer";
            case "numeric" -> "numeric";
            case "float4", "float8" -> "double";
            case "bool" -> "boolean";
            case "timestamptz", "timestamp", "date" -> pgType;
            default -> "text";
        };
    }

    private static Object value(ResultSet rs, int col, String type) throws SQLException {
        Object value =
                switch (type) {
                    case "integer" -> rs.getLong(col);
                    case "numeric" -> rs.getBigDecimal(col);
                    case "double" -> rs.getDouble(col);
                    case "boolean" -> rs.getBoolean(col);
                    case "timestamptz" -> rs.getObject(col, OffsetDateTime.class);
                    case "timestamp" -> rs.getObject(col, LocalDateTime.class);
                    case "date" -> rs.getObject(col, LocalDate.class);
                    default -> rs.getString(col);
                };
        if (rs.wasNull()) {
            return null;
        }
        return value instanceof OffsetDateTime t ? t.withOffsetSameInstant(ZoneOffset.UTC) : value;
    }

    /** Cancelled by the timeout, or a value the database refused (class 22: data exception), or a real failure. */
    private RuntimeException translated(Report report, SQLException e) throws SQLException {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals(QUERY_CANCELED)) {
            return new ReportTimeoutException("the report " + report.name() + " ran longer than " + timeoutSeconds
                    + " s and was cancelled; narrow its period or ask for an index");
        }
        if (state.startsWith("22")) {
            return new ReportParameterException(
                    null,
                    "the database refused the parameters of " + report.name() + ": "
                            + e.getMessage().lines().findFirst().orElse(""));
        }
        throw e;
    }
}
