package pomf.edge.chaos;

import java.util.Map;

/** The printed table of one dimension: a row per label, a column per kind of answer, and a total row. */
final class ChaosTable {
    private static final Verdict.Kind[] SHOWN = {
        Verdict.Kind.OK,
        Verdict.Kind.CUT,
        Verdict.Kind.ABANDONED,
        Verdict.Kind.REFUSED,
        Verdict.Kind.TIMEOUT,
        Verdict.Kind.STATUS_5XX,
        Verdict.Kind.NOT_FOUND_EXISTING,
        Verdict.Kind.ERROR_PAGE,
        Verdict.Kind.WRONG
    };

    private ChaosTable() {}

    static String render(String dimension, Map<String, long[]> rows) {
        int width = Math.max(dimension.length(), 5);
        for (String key : rows.keySet()) {
            width = Math.max(width, key.length());
        }
        StringBuilder text = new StringBuilder();
        String head = "%-" + width + "s %10s %10s %9s";
        text.append(String.format(head, dimension, "requests", "answered", "older"));
        for (Verdict.Kind kind : SHOWN) {
            text.append(String.format(" %12s", kind.label));
        }
        text.append('\n');
        long[] total = new long[Verdict.Kind.values().length + 2];
        for (Map.Entry<String, long[]> row : rows.entrySet()) {
            line(text, width, row.getKey(), row.getValue());
            for (int i = 0; i < total.length; i++) {
                total[i] += row.getValue()[i];
            }
        }
        line(text, width, "total", total);
        return text.append('\n').toString();
    }

    private static void line(StringBuilder text, int width, String key, long[] counts) {
        long requests = 0;
        for (int i = 0; i < counts.length - 2; i++) {
            requests += counts[i];
        }
        text.append(String.format(
                "%-" + width + "s %,10d %,10d %,9d",
                key,
                requests,
                counts[counts.length - 2],
                counts[counts.length - 1]));
        for (Verdict.Kind kind : SHOWN) {
            text.append(String.format(" %,12d", counts[kind.ordinal()]));
        }
        text.append('\n');
    }
}
