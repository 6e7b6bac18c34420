package pomf.rehearsal;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdicts of a rehearsal: each check with what was measured and what was expected, printed as one table, and
 * passed only when every check passed. A figure without a pass/fail rule is a "note" and never fails the run.
 */
final class Checks {
    record Row(String name, String measured, String expected, Boolean passed) {
        String mark() {
            return passed == null ? "note" : passed ? "ok" : "FAIL";
        }
    }

    private final List<Row> rows = new ArrayList<>();

    synchronized void check(String name, boolean passed, String measured, String expected) {
        rows.add(new Row(name, measured, expected, passed));
    }

    synchronized void note(String name, String measured) {
        rows.add(new Row(name, measured, "", null));
    }

    synchronized boolean passed() {
        return !rows.isEmpty() && rows.stream().noneMatch(r -> Boolean.FALSE.equals(r.passed()));
    }

    synchronized List<Row> failures() {
        return rows.stream().filter(r -> Boolean.FALSE.equals(r.passed())).toList();
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    synchronized String table() {
        int name = 5;
        int measured = 8;
        for (Row row : rows) {
            name = Math.max(name, row.name().length());
            measured = Math.min(70, Math.max(measured, row.measured().length()));
        }
        String format = "%-4s  %-" + name + "s  %-" + measured + "s  %s%n";
        StringBuilder out = new StringBuilder(String.format(format, "", "check", "measured", "expected"));
        out.append("-".repeat(name + measured + 30)).append('\n');
        for (Row row : rows) {
            out.append(String.format(format, row.mark(), row.name(), row.measured(), row.expected()));
        }
        out.append(String.format(
                "%s: %d checks, %d failed%n",
                passed() ? "PASSED" : "FAILED",
                rows.stream().filter(r -> r.passed() != null).count(),
                failures().size()));
        return out.toString();
    }
}
