package pomf.reporting.entity;

/** A result column: its name and a simple type (integer, numeric, double, boolean, timestamptz, timestamp, date, text). */
public record ReportColumn(String name, String type) {}
