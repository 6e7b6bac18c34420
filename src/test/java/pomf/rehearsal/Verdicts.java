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
        if (bucket != null) {
            onBucket();
            return;
        }
        bytes();
        errorsPerPhase();
        cache();
        witnessTiming();
        uploadsDuringRestart();
        records.registry();
        records.witness();
    }

    /** The bucket variant's checks: no witness, no edge killed, no PostgreSQL restart; origin A killed instead. */
    private void onBucket() throws Exception {
        bytes();
        errorsPerPhase(List.of("steady", "origin-kill", "origin-a-down", "origin-a-starting", "origin-a-back", "end"));
        cache();
        originReads();
        uploadsUnderLoad();
        records.bucket();
    }

    /** The direct reads from the origins: cut only at A by its kill, never a wrong byte, both serving throughout. */
    private void originReads() {
        OriginReads reads = bucket.reads;
        List<OriginReads.Read> failed =
                reads.reads.stream().filter(r -> !r.outcome().equals("ok")).toList();
        List<OriginReads.Read> cutByKill = failed.stream()
                .filter(r -> r.origin() == BucketFaults.A
                        && r.started().isBefore(bucket.killed)
                        && r.outcome().equals("cut_off"))
                .toList();
        long afterRestart = reads.reads.stream()
                .filter(r -> r.origin() == BucketFaults.A
                        && r.outcome().equals("ok")
                        && r.started().isAfter(bucket.back))
                .count();
        checks.check(
                "direct reads from the origins",
                failed.size() == cutByKill.size()
                        && cutByKill.size() <= 2
                        && reads.count(BucketFaults.A, "ok") > 0
                        && reads.count(BucketFaults.B, "ok") > 0
                        && afterRestart > 0,
                String.format(
                        "%d read whole (A %d, %d of them after its restart; B %d), %d cut by A's kill%s",
                        reads.count(-1, "ok"),
                        reads.count(BucketFaults.A, "ok"),
                        afterRestart,
                        reads.count(BucketFaults.B, "ok"),
                        cutByKill.size(),
                        failed.size() == cutByKill.size()
                                ? ""
                                : "; other failures: "
                                        + failed.stream()
                                                .filter(r -> !cutByKill.contains(r))
                                                .map(r ->
                                                        (r.origin() == 0 ? "A " : "B ") + r.phase() + " " + r.outcome())
                                                .toList()),
                "whole, but the read in flight at A's kill; A serves again after its restart");
        checks.check(
                "a read from A in flight at its kill",
                bucket.readAtKill > 0,
                bucket.readAtKill > 0 ? "at byte " + bucket.readAtKill : "none",
                "one (the kill must cut a download)");
    }

    /**
     * The uploads that kept coming: those in flight at A's kill and those sent to A while it was dead got no answer
     * and went to B, where they must succeed; none fails in the end; A takes uploads again after its restart.
     */
    private void uploadsUnderLoad() {
        List<BucketFaults.Upload> uploads = bucket.uploads;
        long ok = uploads.stream().filter(u -> u.result().ok()).count();
        List<String> failed = uploads.stream()
                .filter(u -> !u.result().ok())
                .map(u -> u.phase() + " " + u.result().answer().status() + " "
                        + u.result().answer().body().lines().findFirst().orElse(""))
                .toList();
        long retried =
                uploads.stream().filter(u -> u.result().attempts().size() > 1).count();
        long cut = uploads.stream()
                .filter(u -> u.result().attempts().stream()
                        .anyMatch(a -> a.origin() == BucketFaults.A && a.status() == 0 && a.reached()))
                .count();
        long toAAfter = uploads.stream()
                .flatMap(u -> u.result().attempts().stream())
                .filter(a -> a.origin() == BucketFaults.A
                        && a.status() == 200
                        && a.started().isAfter(bucket.back))
                .count();
        long toB = uploads.stream()
                .flatMap(u -> u.result().attempts().stream())
                .filter(a -> a.origin() == BucketFaults.B && a.status() == 200)
                .count();
        long bytes = uploads.stream().mapToLong(BucketFaults.Upload::size).sum();
        checks.check(
                "uploads under load, A killed among them",
                failed.isEmpty() && ok > 0 && toAAfter > 0 && toB > 0,
                String.format(
                        "%d of %d succeeded (%s), %d of them sent again to the other origin, %d by B; A took %d after"
                                + " its restart%s",
                        ok,
                        uploads.size(),
                        Progress.Units.bytes(bytes),
                        retried,
                        toB,
                        toAAfter,
                        failed.isEmpty() ? "" : "; failed: " + failed),
                "all; those without an answer from A succeed on B");
        long multipart = bucket.uploadsAtKill.stream()
                .filter(f -> f.sent() > StageConfig.PART_SIZE)
                .count();
        checks.check(
                "uploads to A in flight at its kill",
                multipart > 0 && cut >= multipart,
                bucket.uploadsAtKill.size() + " in flight (" + multipart + " past their first 5 MiB part: "
                        + bucket.uploadsAtKill.stream()
                                .map(f -> Progress.Units.bytes(f.sent()) + " of " + Progress.Units.bytes(f.size()))
                                .toList()
                        + "); " + cut + " cut and sent again to B",
                ">= 1 multipart upload cut, each sent again");
    }

    /** Checks of the records the instances wrote as they stopped. */
    void afterShutdown() throws Exception {
        records.traffic();
    }

    private void bytes() {
        long wrong = report.wrongBodies()
                + warmer.wrongBodies()
                + (bucket == null ? 0 : bucket.reads.count(-1, "wrong_body"));
        long ok = report.count(null, null, "ok");
        checks.check(
                "every byte received equals the upload",
                wrong == 0 && ok > 0,
                String.format(
                        "%d answers compared byte by byte (whole ones also by SHA-256), %s%s; %d wrong bodies",
                        ok,
                        Progress.Units.bytes(report.bytes()),
                        bucket == null ? "" : ", and " + bucket.reads.reads.size() + " direct reads from the origins",
                        wrong),
                "0 wrong bodies");
        checks.check("the edges' own fills and checks", warmer.failed() == 0, warmer.failed() + " failed", "0 failed");
        checks.note(
                "Range requests (seeks on the video and others)",
                report.ranges() + ", " + report.rangesAnsweredWhole() + " answered with the whole file");
    }

    private void errorsPerPhase() {
        errorsPerPhase(List.of(
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
                "end"));
        String killed = Stage.EDGES.get(Rehearsal.KILLED);
        long killedServed = report.count("revived", killed, "ok");
        checks.check(
                "the revived edge serves again",
                killedServed > 0,
                killedServed + " answers from " + killed + " after its revival",
                "> 0");
    }

    private void errorsPerPhase(List<String> phases) {
        String killed = Stage.EDGES.get(Rehearsal.KILLED);
        for (String phase : phases) {
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
            } else if (phase.equals("origin-kill")) {
                // An edge streaming a fill from A when it died can only cut its answer (never send a wrong byte).
                long atEdgesOfA = Stage.EDGES.stream()
                        .filter(e -> stage.config.originOf(Stage.EDGES.indexOf(e)) == BucketFaults.A)
                        .mapToLong(e -> report.count(phase, e, "cut_off"))
                        .sum();
                checks.check(
                        "errors in " + phase,
                        errors - atEdgesOfA == 0 && total > 0,
                        measured + (atEdgesOfA > 0 ? ", " + atEdgesOfA + " of them answers cut at A's edges" : ""),
                        "0, but transfers from A cut by its kill");
            } else if (phase.equals("end")) {
                checks.check("errors in " + phase, errors == 0, measured, "0");
            } else {
                checks.check("errors in " + phase, errors == 0 && total > 0, measured, "0, and load on");
            }
        }
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
        long stale = bucket == null
                ? report.cacheCount("origin-down", "STALE") + report.cacheCount("origin-starting", "STALE")
                : report.cacheCount("origin-a-down", "STALE") + report.cacheCount("origin-a-starting", "STALE");
        checks.check(
                bucket == null ? "stale answers while the origin was down" : "stale answers while A was down",
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
