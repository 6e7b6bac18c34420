package pomf.run;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times one request as the admin's browser sends it (a warm-up, then {@link #RUNS} runs) and checks the answer is
 * what a person would see: HTTP 200, no Faces error, and for the files page and the API, rows. Prints a table.
 */
final class PageTimer {
    static final int RUNS = 5;
    private static final Pattern TABLE_ROW = Pattern.compile("<tr [^>]*data-ri=\"");
    private static final Pattern TOTAL = Pattern.compile("\\d+–\\d+ of (\\d+)");
    private static final Pattern FIRST_STORED = Pattern.compile("stored-name\">([^<]+)<");
    private static final Pattern JSON_ROW = Pattern.compile("\"sha256\":");
    private static final Pattern JSON_TOTAL = Pattern.compile("\"total\":(\\d+)");
    private static final Pattern JSON_FIRST = Pattern.compile("\"name\":\"([^\"]+)\"");

    private final List<String> lines = new ArrayList<>();

    void time(String label, Supplier<HttpResponse<String>> request) {
        request.get();
        List<Double> times = new ArrayList<>();
        HttpResponse<String> answer = null;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            answer = request.get();
            times.add((System.nanoTime() - start) / 1e6);
        }
        times.sort(Double::compare);
        String body = answer.body();
        String line = String.format(
                "| %s | %s%s | %.0f | %.0f | %,d |",
                label,
                shown(body),
                problem(answer, body),
                times.get(RUNS / 2),
                times.get(RUNS - 1),
                body.getBytes(StandardCharsets.UTF_8).length);
        System.out.println(line); // as it comes, so a long run shows progress
        lines.add(line);
    }

    void print() {
        System.out.printf(
                "%n| page / request | rows shown (of total; first stored name) | median ms | max ms | bytes |%n"
                        + "|---|---|---:|---:|---:|%n");
        lines.forEach(System.out::println);
    }

    /** "50 of 10000, f1000000.bin" for a table or API answer (no total in a paging answer), a row count otherwise. */
    private static String shown(String body) {
        boolean json = body.startsWith("{");
        long rows = (json ? JSON_ROW : TABLE_ROW).matcher(body).results().count();
        String first = group(json ? JSON_FIRST : FIRST_STORED, body);
        if (first == null) {
            return Long.toString(rows);
        }
        String total = group(json ? JSON_TOTAL : TOTAL, body);
        return rows + (total == null ? "" : " of " + total) + ", " + first;
    }

    private static String problem(HttpResponse<String> answer, String body) {
        if (answer.statusCode() != 200) {
            return " HTTP " + answer.statusCode() + "!";
        }
        if (body.contains("<error>") || body.contains("ui-messages-error")) {
            return " Faces error in the answer!";
        }
        if (body.contains("No file matches.") || body.contains("\"items\":[]")) {
            return " no rows!";
        }
        return "";
    }

    private static String group(Pattern pattern, String body) {
        Matcher m = pattern.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
