package pomf.reporting.entity;

import java.util.List;
import java.util.Optional;

/**
 * How a report is best drawn ({@code -- chart: line x=hour y=strikes series=node}): a hint for the admin page,
 * naming result columns; several y columns are comma-separated.
 */
public record ReportChart(String kind, String x, List<String> y, Optional<String> series) {}
