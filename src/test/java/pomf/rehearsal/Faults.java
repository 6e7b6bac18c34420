package pomf.rehearsal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pomf.it.load.CatalogueFile;
import pomf.it.load.LoadClients;

/**
 * The bad day's events, each under load and each labelling the clients' requests with its phase: the spike, an edge
 * killed, the origin stopped, PostgreSQL restarted (with uploads tried all along), and the dead edge started again
 * cold. Times go to the {@link Timeline}; what the uploads got back is kept for the {@link Verdicts}.
 */
final class Faults {
    static final List<String> FORMATS = List.of("json", "text", "csv", "html", "gyazo");

    /** An upload tried while the database was away or coming back, and what it got. */
    record Attempt(
            String format,
            Uploader.Answer answer,
            Path local,
            String sha256,
            long size,
            boolean databaseDown,
            long millis) {}

    private final Stage stage;
    private final LoadClients clients;
    private final Library library;
    private final Uploader uploader;
    private final Progress progress;
    private final Timeline timeline;
    private final DnsWatch dns;
    final List<Attempt> attempts = new ArrayList<>();
    final List<CatalogueFile> uploadedAfterRestart = new ArrayList<>();
    /** SHA-256 of files stored through the other formats (their answers carry no JSON to add them to the library). */
    final List<String> otherFormatsStored = new ArrayList<>();

    private int attemptSeed = 50_000;

    Faults(
            Stage stage,
            LoadClients clients,
            Library library,
            Uploader uploader,
            Progress progress,
            Checks checks,
            Timeline timeline) {
        this.stage = stage;
        this.clients = clients;
        this.library = library;
        this.uploader = uploader;
        this.progress = progress;
        this.timeline = timeline;
        this.dns = new DnsWatch(stage.bind);
    }

    /** Four times the usual load, ramped over half a phase, half of it seeking through the video; then held. */
    void spike() throws InterruptedException {
        RehearsalPlan plan = stage.plan;
        clients.phase("spike");
        clients.focus(plan.spikeFocus());
        int steps = 5;
        for (int i = 1; i <= steps; i++) {
            double rate = plan.steadyRate() * (1 + (plan.spikeFactor() - 1) * i / steps);
            clients.rate(rate);
            progress.say(String.format("spike: %.0f requests/s", rate));
            Thread.sleep(plan.phase().toMillis() / 2 / steps);
        }
        hold(plan.phase().dividedBy(2));
    }

    /** kill -9 of an edge at the spike's height; waits for the witness to take it out of DNS. */
    void killEdge(int edge) throws InterruptedException {
        String address = Stage.EDGES.get(edge);
        // Requests that started before the kill and were cut by it count in this phase, not in the spike's.
        clients.phase("edge-kill");
        Thread.sleep(3_000);
        long killed = System.nanoTime();
        timeline.edgeKilled = Instant.now();
        stage.killEdge(edge);
        progress.say("edge" + (edge + 1) + " (" + address + ") killed with SIGKILL");
        timeline.secondsToRemoval = dns.until(address, false, killed, Duration.ofSeconds(90));
        progress.say(String.format("%s left DNS %.1f s after its death", address, timeline.secondsToRemoval));
        Thread.sleep(2_000); // the clients' next lookup (every second) no longer offers it
        clients.phase("edge-dead");
        hold(stage.plan.phase());
        clients.focus(0);
        clients.rate(stage.plan.steadyRate());
    }

    /** The origin stopped (SIGTERM) for the plan's while, then started again; the edges carry on meanwhile. */
    void stopOrigin() throws InterruptedException {
        clients.phase("origin-down");
        timeline.originStopped = Instant.now();
        stage.stopOrigin();
        progress.say("origin stopped for " + stage.plan.originDown().toSeconds() + " s");
        hold(stage.plan.originDown());
        clients.phase("origin-starting");
        progress.say("origin starting");
        stage.restartOrigin();
        timeline.originBack = Instant.now();
        clients.phase("origin-back");
        progress.say("origin back");
        hold(stage.plan.phase().dividedBy(2));
    }

    /**
     * PostgreSQL stopped while uploads in every output format keep coming (each must fail cleanly), then started;
     * uploads go on until one succeeds, and a few more in every format must succeed too.
     */
    void restartDatabase() throws Exception {
        clients.phase("database-down");
        timeline.databaseStopped = Instant.now();
        stage.stopDatabase();
        progress.say("PostgreSQL stopped");
        // Every format at once, again and again, until the outage has lasted its while: each must fail cleanly.
        long until = System.nanoTime() + stage.plan.databaseDown().toNanos();
        do {
            List<java.util.concurrent.CompletableFuture<Attempt>> round = new ArrayList<>();
            for (String format : FORMATS) {
                round.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> attempt(format, true)));
            }
            round.forEach(java.util.concurrent.CompletableFuture::join);
        } while (System.nanoTime() < until);
        stage.startDatabase();
        timeline.databaseBack = Instant.now();
        long back = System.nanoTime();
        clients.phase("database-back");
        progress.say("PostgreSQL started again");
        long deadline = back + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && !attempt("json", false).answer().ok()) {
            Thread.sleep(250);
        }
        timeline.secondsToFirstUpload = (System.nanoTime() - back) / 1e9;
        progress.say(String.format(
                "uploads succeed again %.1f s after PostgreSQL came back", timeline.secondsToFirstUpload));
        for (String format : FORMATS) {
            attempt(format, false);
        }
        hold(stage.plan.phase().dividedBy(2));
    }

    private Attempt attempt(String format, boolean databaseDown) {
        int seed;
        synchronized (this) {
            seed = attemptSeed++;
        }
        long size = 1_000 + seed % 7 * 10_000;
        Path local = stage.folder.resolve("library").resolve("during-restart-" + seed + ".bin");
        String sha256 = Library.write(local, size, seed);
        long started = System.nanoTime();
        Uploader.Answer answer = uploader.upload(local, local.getFileName().toString(), format);
        Attempt attempt = new Attempt(
                format, answer, local, sha256, size, databaseDown, (System.nanoTime() - started) / 1_000_000);
        synchronized (this) {
            attempts.add(attempt);
            if (answer.ok() && format.equals("json")) {
                uploadedAfterRestart.add(library.add(answer, local, sha256, size));
            } else if (answer.ok()) {
                otherFormatsStored.add(sha256);
            }
        }
        return attempt;
    }

    /** kill -9 of a witness: the other must decide every tick from the next one on, alone. */
    void killWitness(int witness) throws InterruptedException {
        clients.phase("witness-kill");
        timeline.witnessKilled = Instant.now();
        stage.witnesses[witness].kill();
        progress.say("witness" + (witness + 1) + " killed with SIGKILL");
        hold(stage.plan.phase().dividedBy(2));
    }

    /** The dead edge's machine back with an empty cache; waits for the witness to put it back in DNS. */
    void reviveEdge(int edge) throws InterruptedException {
        String address = Stage.EDGES.get(edge);
        clients.phase("edge-restart");
        long started = System.nanoTime();
        timeline.edgeRestarted = Instant.now();
        progress.say("edge" + (edge + 1) + " starting cold (empty cache)");
        stage.restartEdgeCold(edge);
        timeline.secondsToRevival = dns.until(address, true, started, Duration.ofSeconds(120));
        progress.say(
                String.format("%s back in DNS %.1f s after its restart began", address, timeline.secondsToRevival));
        Thread.sleep(2_000);
        clients.phase("revived");
        hold(stage.plan.phase());
    }

    /** Keeps the load going for a while, with a line of progress every five seconds. */
    void hold(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            var report = clients.report();
            progress.say(String.format(
                    "load: %d requests, %d ok, %d wrong bodies, %s received",
                    report.total(),
                    report.count(null, null, "ok"),
                    report.wrongBodies(),
                    Progress.Units.bytes(report.bytes())));
        }
    }
}
