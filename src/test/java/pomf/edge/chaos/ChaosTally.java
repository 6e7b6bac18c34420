package pomf.edge.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts every judged answer by kind, per edge phase, origin fault, edge state and request kind, and writes each
 * failure (wrong body, error page posing as content, 404 for an existing object) with everything needed to chase it
 * to {@code problems.txt}.
 */
final class ChaosTally {
    static final String[] DIMENSIONS = {"edge phase", "origin fault", "edge state", "request"};
    /** Failures printed as they happen, per kind; the rest only go to the file. */
    private static final int PRINTED = 10;
    /** Failures written in full per kind and edge state (a starting edge can answer thousands alike). */
    private static final int WRITTEN = 300;

    private final Map<String, Map<String, long[]>> rows = new LinkedHashMap<>();
    private final Map<String, Long> statuses = new TreeMap<>();
    private final Map<String, Long> statusesNotReady = new TreeMap<>();
    private final Map<String, Long> cacheStatuses = new TreeMap<>();
    private final Map<Verdict.Kind, Long> totals = new EnumMap<>(Verdict.Kind.class);
    private final Map<String, Long> failuresBySort = new TreeMap<>();
    private final Path problems;
    private final Path stalls;
    private long stallsWritten;
    private final EventLog events;
    private final long seed;
    private long answered;
    private long bytes;
    private long older;
    private long failures;

    ChaosTally(Path problems, EventLog events, long seed) {
        this.problems = problems;
        this.stalls = problems.resolveSibling("stalls.txt");
        this.events = events;
        this.seed = seed;
        for (String dimension : DIMENSIONS) {
            rows.put(dimension, new LinkedHashMap<>());
        }
    }

    synchronized void record(
            Situation.Label label, ChaosRequest request, WireAnswer answer, BodyMatch body, Verdict verdict) {
        if (verdict.kind() == Verdict.Kind.STOPPED) {
            return;
        }
        String[] keys = {label.phase(), label.fault(), label.edge(), request.kind()};
        for (int i = 0; i < keys.length; i++) {
            long[] row =
                    rows.get(DIMENSIONS[i]).computeIfAbsent(keys[i], k -> new long[Verdict.Kind.values().length + 2]);
            row[verdict.kind().ordinal()]++;
            row[row.length - 2] += answer.answered() ? 1 : 0;
            row[row.length - 1] += verdict.olderVersion() ? 1 : 0;
        }
        totals.merge(verdict.kind(), 1L, Long::sum);
        if (answer.answered()) {
            answered++;
            bytes += answer.received();
            (label.edge().startsWith("ready") ? statuses : statusesNotReady)
                    .merge(Integer.toString(answer.status()), 1L, Long::sum);
            cacheStatuses.merge(
                    answer.status() + " " + answer.headers().getOrDefault("x-cache-status", "(none)"), 1L, Long::sum);
        }
        older += verdict.olderVersion() ? 1 : 0;
        if (verdict.kind() == Verdict.Kind.TIMEOUT && ++stallsWritten <= WRITTEN) {
            // Not a wrong answer, but an edge that stops sending without closing leaves its client hanging.
            write(stalls, label, request, answer, body, verdict, stallsWritten <= 3);
        }
        if (verdict.kind().failure()) {
            failures++;
            String sort =
                    verdict.kind().label + " (" + (label.edge().startsWith("ready") ? "ready" : "not ready") + ")";
            long same = failuresBySort.merge(sort, 1L, Long::sum);
            if (same <= WRITTEN) {
                write(problems, label, request, answer, body, verdict, totals.get(verdict.kind()) <= PRINTED);
            }
        }
    }

    /** One line for the progress print. */
    synchronized String progress() {
        return String.format(
                "%,d answered: %,d ok, %,d cut, %,d 5xx, %,d refused, %,d failures",
                answered,
                totals.getOrDefault(Verdict.Kind.OK, 0L),
                totals.getOrDefault(Verdict.Kind.CUT, 0L),
                totals.getOrDefault(Verdict.Kind.STATUS_5XX, 0L),
                totals.getOrDefault(Verdict.Kind.REFUSED, 0L),
                failures);
    }

    /** Answers (with a status) to requests sent while the edge said it was ready. */
    synchronized long answeredReady() {
        return rows.get("edge state").entrySet().stream()
                .filter(e -> e.getKey().startsWith("ready"))
                .mapToLong(e -> e.getValue()[e.getValue().length - 2])
                .sum();
    }

    synchronized long answered() {
        return answered;
    }

    synchronized long count(Verdict.Kind kind) {
        return totals.getOrDefault(kind, 0L);
    }

    synchronized long failures() {
        return failures;
    }

    /** 404s for existing objects in answers to requests sent while the edge said it was ready. */
    synchronized long notFoundWhileReady() {
        return rows.get("edge state").entrySet().stream()
                .filter(e -> e.getKey().startsWith("ready"))
                .mapToLong(e -> e.getValue()[Verdict.Kind.NOT_FOUND_EXISTING.ordinal()])
                .sum();
    }

    synchronized String table() {
        StringBuilder text = new StringBuilder();
        for (String dimension : DIMENSIONS) {
            text.append(ChaosTable.render(dimension, rows.get(dimension)));
        }
        text.append("statuses, edge ready: ").append(statuses).append('\n');
        text.append("statuses, edge not ready: ").append(statusesNotReady).append('\n');
        text.append("status and X-Cache-Status: ").append(cacheStatuses).append('\n');
        text.append(String.format(
                "answers with a status: %,d (%,d from a ready edge), %,d body bytes; right answers carrying an older "
                        + "version: %,d; failures: %,d %s%n",
                answered, answeredReady(), bytes, older, failures, failuresBySort));
        return text.toString();
    }

    private void write(
            Path file,
            Situation.Label label,
            ChaosRequest request,
            WireAnswer answer,
            BodyMatch body,
            Verdict verdict,
            boolean print) {
        byte[] start = body.prefix();
        String block = "=== " + verdict.kind().label + " #" + totals.get(verdict.kind()) + ", seed " + seed
                + ", thread "
                + Thread.currentThread().getName() + "\n"
                + "sent at " + events.millis(answer.sentNanos()) / 1000.0 + " s, ended at "
                + events.millis(answer.endNanos()) / 1000.0 + " s (" + java.time.Instant.now() + ")\n"
                + "edge phase: " + label.phase() + "; origin fault: " + label.fault() + "; edge: " + label.edge() + "\n"
                + "request: " + request + "\n"
                + "answer: " + answer.status() + ", " + answer.ending() + " (" + answer.framing() + "), "
                + answer.received() + " body bytes" + (answer.error() == null ? "" : ", " + answer.error()) + "\n"
                + "headers: " + answer.headers() + "\n"
                + "why: " + verdict.reason() + "\n"
                + "expected: "
                + (body.checked()
                        ? body.version() + " from " + body.from() + ", " + body.length() + " bytes"
                        : "(no version to compare with)")
                + "; " + body.differenceText() + "\n"
                + "body starts: " + HexFormat.of().formatHex(start, 0, Math.min(48, start.length)) + " | "
                + new String(start, 0, Math.min(160, start.length), StandardCharsets.ISO_8859_1)
                        .replaceAll("[^\\x20-\\x7e]", ".")
                + "\n\n";
        try {
            Files.writeString(
                    file, block, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!print) {
            return;
        }
        events.say(verdict.kind().label + " #" + totals.get(verdict.kind()) + ": " + request + " -> " + answer.status()
                + " " + answer.headers().getOrDefault("x-cache-status", "") + ": " + verdict.reason());
    }
}
