package pomf.reporting.entity;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The types a report parameter may have, named as in PostgreSQL, with the Java value a text is bound as. Values are
 * parsed here rather than by the database so that a bad value is refused with a message naming what was expected.
 */
public enum ParamType {
    TIMESTAMPTZ("timestamptz", OffsetDateTime.class),
    DATE("date", LocalDate.class),
    INTEGER("integer", Integer.class),
    TEXT("text", String.class);

    static final int MAX_TEXT = 1000;
    private final String sqlName;
    private final Class<?> javaType;

    ParamType(String sqlName, Class<?> javaType) {
        this.sqlName = sqlName;
        this.javaType = javaType;
    }

    public String sqlName() {
        return sqlName;
    }

    public Class<?> javaType() {
        return javaType;
    }

    public static ParamType of(String sqlName) {
        for (ParamType type : values()) {
            if (type.sqlName.equals(sqlName)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown parameter type " + sqlName + " (timestamptz, date, integer, text)");
    }

    /** The value of {@code text}, or IllegalArgumentException with a message fit to show the person who typed it. */
    public Object parse(String text) {
        String value = text == null ? "" : text.trim();
        return switch (this) {
            case TIMESTAMPTZ -> timestamp(value);
            case DATE -> date(value);
            case INTEGER -> integer(value);
            case TEXT -> text(text == null ? "" : text);
        };
    }

    /** ISO dates and times; without an offset they are UTC (a date alone is its midnight, UTC). */
    private static OffsetDateTime timestamp(String value) {
        String iso = value.matches("\\d{4}-\\d{2}-\\d{2} \\d.*") ? value.replaceFirst(" ", "T") : value;
        try {
            if (iso.length() == 10) {
                return LocalDate.parse(iso).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            if (iso.endsWith("Z") || iso.matches(".*T.*[+-]\\d{2}:\\d{2}$")) {
                return OffsetDateTime.parse(iso).withOffsetSameInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC);
        } catch (DateTimeException e) { // unparsable, or past the last instant once moved to UTC
            throw new IllegalArgumentException("expected a date and time such as 2026-11-01, 2026-11-01T10:00 (UTC)"
                    + " or 2026-11-01T10:00+01:00, got \"" + shown(value) + "\"");
        }
    }

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("expected a date such as 2026-11-01, got \"" + shown(value) + "\"");
        }
    }

    private static Integer integer(String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number between " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE + ", got \"" + shown(value) + "\"");
        }
    }

    private static String text(String value) {
        if (value.length() > MAX_TEXT) {
            throw new IllegalArgumentException("longer than " + MAX_TEXT + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("contains a NUL character, which PostgreSQL text cannot hold");
        }
        return value;
    }

    private static String shown(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }
}
