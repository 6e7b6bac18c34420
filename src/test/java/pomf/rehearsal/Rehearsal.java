package pomf.rehearsal;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import pomf.it.deployments.Deployments;
import pomf.it.load.Catalogue;
import pomf.it.load.LoadClients;
import pomf.it.load.LoadPlan;
import pomf.it.servers.Bind;
import pomf.it.servers.Sshd;

/**
 * The operator's worst day on one machine, in one command: the whole system started ({@link Stage}), a library
 * uploaded through the Pomf API, Zipf load through the edges found in DNS ramping to a spike of seeks on one video,
 * and the faults of that day injected under load: an edge killed with kill -9, the origin stopped, PostgreSQL
 * restarted, the dead edge brought back cold. Then every check is printed as one table ({@link Verdicts}); the exit
 * status is 0 only when all passed. {@code server-config/rehearsal.sh [quick|full]} runs it.
 */
public final class Rehearsal {
    static final int KILLED = 2; // edge3

    private final RehearsalPlan plan;
    private final Path folder;
    private final Progress progress;
    private final Checks checks = new Checks();

    private Rehearsal(RehearsalPlan plan, Path folder, PrintStream out) {
        this.plan = plan;
        this.folder = folder;
        this.progress = new Progress(out);
    }

    public static void main(String[] args) throws Exception {
        RehearsalPlan plan = RehearsalPlan.named(args.length > 0 ? args[0] : "quick");
        Optional<String> unavailable = unavailable();
        if (unavailable.isPresent()) {
            System.err.println("The rehearsal cannot run here: " + unavailable.get());
            System.exit(2);
        }
        Path base = Path.of(System.getProperty("pomf.basedir", "."), "target");
        Files.createDirectories(base);
        Checks checks = run(plan, Files.createTempDirectory(base, "rehearsal-" + plan.name() + "-"), System.out);
        System.exit(checks.passed() ? 0 : 1);
    }

    /** Why it cannot run on this machine (BIND and sshd need their packages and root), or empty. */
    public static Optional<String> unavailable() {
        return Bind.unavailable().or(Sshd::unavailable);
    }

    /** Runs the whole rehearsal in {@code folder} (removed when every check passed, kept with its logs otherwise). */
    public static Checks run(RehearsalPlan plan, Path folder, PrintStream out) throws Exception {
        Rehearsal rehearsal = new Rehearsal(plan, folder, out);
        try {
            rehearsal.perform();
        } catch (Exception | AssertionError e) {
            rehearsal.checks.check("the rehearsal ran to its end", false, e.toString(), "no exception");
        }
        out.print(rehearsal.checks.table());
        if (rehearsal.checks.passed()) {
            Deployments.deleteTree(folder);
        } else {
            out.println("logs and data kept in " + folder);
        }
        return rehearsal.checks;
    }

    private void perform() throws Exception {
        progress.say("rehearsal " + plan.name() + ": " + plan.fileSizes().size() + " files, "
                + Progress.Units.bytes(plan.libraryBytes()) + ", in " + folder);
        try (Stage stage = Stage.start(folder, plan, progress)) {
            // Ctrl-C must not leave six Payara processes, BIND, sshd, PostgreSQL (or S3Proxy's threads) behind.
            Thread cleanup = new Thread(stage::close, "rehearsal-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                perform(stage);
            } finally {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
    }

    private void perform(Stage stage) throws Exception {
        if (plan.onBucket()) {
            performOnBucket(stage);
            return;
        }
        Timeline timeline = new Timeline();
        Library library = new Library(folder.resolve("library"));
        Uploader uploader = new Uploader(URI.create("http://127.0.0.1:" + Stage.ORIGIN_PORT));
        Catalogue catalogue = library.upload(plan, uploader, progress);
        Warmer warmer = new Warmer(catalogue, progress);
        warmer.warm(Stage.EDGES);
        try (LoadClients clients = new LoadClients(loadPlan(), catalogue)) {
            Faults faults = new Faults(stage, clients, library, uploader, progress, checks, timeline);
            clients.phase("steady");
            clients.start();
            progress.say("steady: " + plan.steadyRate() + " requests/s, Zipf over "
                    + catalogue.files().size() + " files");
            faults.hold(plan.phase());
            faults.spike();
            faults.killEdge(KILLED);
            faults.stopOrigin();
            faults.restartDatabase();
            faults.killWitness(1);
            faults.reviveEdge(KILLED);
            clients.phase("end");
            if (!clients.finish(Duration.ofMinutes(2))) {
                checks.check("clients finished their requests", false, "still running after 2 min", "all done");
            }
            timeline.loadEnded();
            progress.say("load ended");
            Verdicts verdicts = new Verdicts(
                    new Evidence.Of(stage, library, clients.report(), warmer, timeline, faults, null, checks),
                    progress);
            verdicts.beforeShutdown();
            progress.say("stopping the instances (edges hand their last records to the origin)");
            stage.stopInstances();
            verdicts.afterShutdown();
        }
    }

    /**
     * The bucket variant: the library uploaded to origins A and B in turn, the edges warmed, steady load through
     * them with uploads and direct reads on both origins, origin A killed in the middle of them and started again;
     * then A's start sweeps what the kill left in the bucket, and the bucket is checked against the registry.
     */
    private void performOnBucket(Stage stage) throws Exception {
        Timeline timeline = new Timeline();
        Library library = new Library(folder.resolve("library"));
        Uploader uploader =
                new Uploader(List.of(URI.create(StageConfig.originUrl(0)), URI.create(StageConfig.originUrl(1))), 0);
        Catalogue catalogue = library.upload(plan, uploader, progress);
        Warmer warmer = new Warmer(catalogue, progress);
        warmer.warm(Stage.EDGES);
        try (LoadClients clients = new LoadClients(loadPlan(), catalogue)) {
            Faults faults = new Faults(stage, clients, library, uploader, progress, checks, timeline);
            BucketFaults bucket = new BucketFaults(stage, clients, library, progress, faults);
            bucket.phase("steady");
            clients.start();
            bucket.startLoad();
            progress.say("steady: " + plan.steadyRate() + " requests/s through the edges, "
                    + plan.bucket().uploaders() + " uploads at once and 2 direct reads on the origins");
            faults.hold(plan.phase());
            bucket.killOrigin();
            bucket.phase("end");
            bucket.stopLoad();
            if (!clients.finish(Duration.ofMinutes(2))) {
                checks.check("clients finished their requests", false, "still running after 2 min", "all done");
            }
            timeline.loadEnded();
            progress.say("load ended: " + bucket.uploads.size() + " uploads, " + bucket.reads.reads.size()
                    + " direct reads");
            for (BucketFaults.Upload upload : bucket.uploads) {
                if (upload.result().ok()) {
                    library.add(upload.result().answer(), upload.local(), upload.sha256(), upload.size());
                }
            }
            bucket.sweepAfterStale();
            Verdicts verdicts = new Verdicts(
                    new Evidence.Of(stage, library, clients.report(), warmer, timeline, faults, bucket, checks),
                    progress);
            verdicts.beforeShutdown();
            progress.say("stopping the instances (edges hand their last records to the origins)");
            stage.stopInstances();
            verdicts.afterShutdown();
        }
    }

    private LoadPlan loadPlan() {
        return new LoadPlan(
                Stage.RECORD,
                new InetSocketAddress("127.0.0.1", Stage.DNS_PORT),
                Stage.EDGE_PORT,
                plan.threads(),
                1.0,
                0.1,
                plan.steadyRate(),
                Duration.ofMinutes(30),
                0,
                Duration.ofSeconds(1),
                20261126);
    }
}
