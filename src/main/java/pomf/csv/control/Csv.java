package pomf.csv.control;

/**
 * One text cell of CSV (RFC 4180: quotes doubled inside quotes; the caller ends lines with CRLF). Text that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a CR, as OWASP lists them) gets a leading
 * apostrophe; numbers are the caller's to write plainly, so a negative number stays a number.
 */
public final class Csv {
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private Csv() {}

    /** The cell, quoted only where it must be (a comma, a quote or a line break inside). */
    public static String cell(String text) {
        String safe = guarded(text);
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return quote(safe);
        }
        return safe;
    }

    /** The cell, always quoted (Pomf's CSV reply quotes every field). */
    public static String quoted(String text) {
        return quote(guarded(text));
    }

    private static String guarded(String text) {
        return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    private static String quote(String text) {
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
