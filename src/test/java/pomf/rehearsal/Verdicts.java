package pomf.rehearsal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import pomf.it.load.CatalogueFile;

/**
 * The rehearsal's checks of what the clients saw: bytes, errors per phase, the cache, and how fast the witness
 * acted. The checks of the records (registry, witness, traffic) are in {@link RecordChecks}.
 */
final class Verdicts extends Evidence {
    static final Set<String> SERVED_FROM_CACHE = Set.of("HIT", "STALE", "REVALIDATED", "UPDATING");

    private final Progress progress;
    private final RecordChecks records;

    Verdicts(Of evidence, Progress progress) {
        super(evidence);
        this.progress = progress;
        this.records = new RecordChecks(evidence);
    }

    /** Checks made while every instance still runs (the origin must serve every file back). */
    void beforeShutdown() throws Exception {
        progress.say("checking");
        System.out.print(report.table());
        bytes();
        errorsPerPhase();
        cache();
        witnessTiming();
        uploadsDuringRestart();
        records.registry();
        records.witness();
    }

    /** Checks of the records the instances wrote as they stopped. */
    void afterShutdown() throws Exception {
        records.traffic();
    }

    private void bytes() {
        long wrong = report.wrongBodies() + warmer.wrongBodies();
        long ok = report.count(null, null, "ok");
        checks.check(
                "every byte received equals the upload",
                wrong == 0 && ok > 0,
                String.format(
                        "%d answers compared byte by byte (whole ones also by SHA-256), %s; %d wrong bodies",
                        ok, Progress.Units.bytes(report.bytes()), wrong),
                "0 wrong bodies");
        checks.check("the edges' own fills and checks", warmer.failed() == 0, warmer.failed() + " failed", "0 failed");
        checks.note(
                "Range requests (seeks on the video and others)",
                report.ranges() + ", " + report.rangesAnsweredWhole() + " answered with the whole file");
    }

    private void errorsPerPhase() {
        String killed = Stage.EDGES.get(Rehearsal.KILLED);
        for (String phase : List.of(
                "steady",
                "spike",
                "edge-kill",
                "edge-dead",
                "origin-down",
                "origin-starting",
                "origin-back",
                "database-down",
                "database-back",
                "witness-kill",
                "edge-restart",
                "revived",
                "end")) {
            long total = report.count(phase, null, null);
            long errors = total - report.count(phase, null, "ok");
            Set<String> outcomes = new TreeSet<>(report.outcomes(phase));
            outcomes.remove("ok");
            String measured =
                    String.format("%d requests, %d errors%s", total, errors, outcomes.isEmpty() ? "" : " " + outcomes);
            if (phase.equals("steady") || phase.equals("spike")) {
                // A long download from the killed edge that started before the kill is cut by it: that is the kill.
                long cut = report.count(phase, killed, "cut_off");
                checks.check(
                        "errors in " + phase,
                        errors - cut == 0 && total > 0,
                        measured
                                + (cut > 0
                                        ? ", " + cut + " of them downloads from " + killed + " cut by its kill"
                                        : ""),
                        "0, but transfers in flight at the kill");
            } else if (phase.equals("edge-kill")) {
                long elsewhere = errors - (report.count(phase, killed, null) - report.count(phase, killed, "ok"));
                checks.check(
                        "errors in " + phase,
                        elsewhere == 0,
                        measured + ", " + elsewhere + " of them at the live edges",
                        "only at " + killed + ", until it left DNS");
            } else if (phase.equals("end")) {
                checks.check("errors in " + phase, errors == 0, measured, "0");
            } else {
                checks.check("errors in " + phase, errors == 0 && total > 0, measured, "0, and load on");
            }
        }
        long killedServed = report.count("revived", killed, "ok");
        checks.check(
                "the revived edge serves again",
                killedServed > 0,
                killedServed + " answers from " + killed + " after its revival",
                "> 0");
    }

    private void cache() {
        long answers = 0;
        long fromCache = 0;
        StringBuilder perPhase = new StringBuilder();
        for (String phase : report.phases()) {
            long all = report.cacheCount(phase, null);
            long cached = SERVED_FROM_CACHE.stream()
                    .mapToLong(s -> report.cacheCount(phase, s))
                    .sum();
            answers += all;
            fromCache += cached;
            if (all > 0) {
                perPhase.append(String.format(Locale.ROOT, "%s %.1f%% ", phase, 100.0 * cached / all));
            }
        }
        double ratio = answers == 0 ? 0 : (double) fromCache / answers;
        checks.check(
                "hit ratio seen by the clients",
                ratio >= 0.9,
                String.format(Locale.ROOT, "%.2f%% of %d answers from the cache", 100 * ratio, answers),
                ">= 90%");
        checks.note("hit ratio per phase", perPhase.toString().trim());
        long stale = report.cacheCount("origin-down", "STALE") + report.cacheCount("origin-starting", "STALE");
        checks.check(
                "stale answers while the origin was down",
                stale > 0,
                stale + " STALE (entries older than " + StageConfig.VALID_SECONDS + " s, served with the origin away)",
                "> 0");
    }

    private void witnessTiming() {
        double bound = (StageConfig.STRIKES + 4) * StageConfig.TICK_SECONDS + 5;
        checks.check(
                "edge death to its removal from DNS",
                timeline.secondsToRemoval >= 0 && timeline.secondsToRemoval <= bound,
                String.format(Locale.ROOT, "%.1f s", timeline.secondsToRemoval),
                String.format(
                        Locale.ROOT,
                        "<= %.0f s (%d strikes at a %d s tick)",
                        bound,
                        StageConfig.STRIKES,
                        StageConfig.TICK_SECONDS));
        checks.check(
                "cold edge back in DNS",
                timeline.secondsToRevival >= 0,
                String.format(
                        Locale.ROOT,
                        "%.1f s after its start began (boot + %d clean ticks)",
                        timeline.secondsToRevival,
                        StageConfig.CLEAN_TICKS_TO_REVIVE),
                "within 120 s");
    }

    private void uploadsDuringRestart() {
        List<Faults.Attempt> down =
                faults.attempts.stream().filter(Faults.Attempt::databaseDown).toList();
        List<String> wrong = down.stream()
                .filter(a -> a.answer().status() < 500 || a.answer().status() > 599 || !inFormat(a))
                .map(a -> a.format() + " " + a.answer().status() + " "
                        + a.answer().contentType())
                .toList();
        long slowest = down.stream().mapToLong(Faults.Attempt::millis).max().orElse(0);
        checks.check(
                "uploads while PostgreSQL was down",
                down.stream().map(Faults.Attempt::format).distinct().count() == Faults.FORMATS.size()
                        && wrong.isEmpty(),
                down.size() + " tried, " + (down.size() - wrong.size()) + " failed cleanly, the slowest after "
                        + slowest + " ms" + (wrong.isEmpty() ? "" : "; not: " + wrong),
                "5xx in the client's format (json, text, csv, html, gyazo)");
        List<Faults.Attempt> after = faults.attempts.stream()
                .filter(a -> !a.databaseDown() && a.answer().ok())
                .toList();
        checks.check(
                "uploads after PostgreSQL came back",
                timeline.secondsToFirstUpload >= 0 && after.size() >= Faults.FORMATS.size() + 1,
                String.format(
                        Locale.ROOT,
                        "first success %.1f s after the restart; %d succeeded",
                        timeline.secondsToFirstUpload,
                        after.size()),
                "succeed again, in every format");
        int served = 0;
        for (CatalogueFile file : faults.uploadedAfterRestart) {
            served += warmer.fetch(Stage.EDGES.get(0), Stage.EDGE_PORT, file) ? 1 : 0;
        }
        checks.check(
                "files uploaded after the restart served by an edge",
                served == faults.uploadedAfterRestart.size() && served > 0,
                served + " of " + faults.uploadedAfterRestart.size(),
                "all");
    }

    /** A failure's body is in the format the client asked for (Pomf clients parse it). */
    static boolean inFormat(Faults.Attempt attempt) {
        String type = attempt.answer().contentType().toLowerCase(Locale.ROOT);
        String body = attempt.answer().body();
        return switch (attempt.format()) {
            case "json" -> type.startsWith("application/json") && body.contains("\"success\":false");
            case "csv" -> type.startsWith("text/csv");
            case "html" -> type.startsWith("text/html");
            default -> type.startsWith("text/plain") && !body.isBlank();
        };
    }
}
