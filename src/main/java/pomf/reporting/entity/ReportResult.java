package pomf.reporting.entity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a report: the parameter values used (given or defaulted, in declaration order), the columns, and the
 * rows as Java values (Long, BigDecimal, Double, Boolean, OffsetDateTime in UTC, LocalDateTime, LocalDate, String or
 * null). {@code truncated} says the row cap cut the result.
 */
public record ReportResult(
        String name,
        String title,
        Map<String, Object> params,
        List<ReportColumn> columns,
        List<List<Object>> rows,
        boolean truncated,
        Optional<ReportChart> chart) {}
