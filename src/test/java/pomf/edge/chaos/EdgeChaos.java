package pomf.edge.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import pomf.it.origin.TestOrigin;

/**
 * "No wrong byte, ever": a seeded, bounded chaos run against one real edge. Clients read whole, ranged, conditional
 * and seeking, some hanging up half-way; the test origin fails, stalls, cuts and disappears under them; objects get
 * new versions, vanish and come back; purges hit fills in flight; the edge is killed with SIGKILL and restarted on
 * the same folders, with other settings from phase to phase, and on a disk tier that fills up. Every answer is
 * checked byte by byte ({@link AnswerCheck}). The seed repeats every choice (not the timing); pass it back with
 * {@code -Dchaos.seed=}. {@code EdgeChaosIT} runs the short plan; {@code src/bench/edge-chaos.sh} ({@link ChaosCommand}) the full one.
 */
public final class EdgeChaos {
    private final ChaosPlan plan;
    private final Path folder;
    private final EventLog events;
    private final byte[] errorPage;

    private EdgeChaos(ChaosPlan plan, Path folder, PrintStream out) throws IOException {
        this.plan = plan;
        this.folder = Files.createDirectories(folder);
        this.events = new EventLog(folder.resolve("events.txt"), out);
        Path page = Path.of(System.getProperty("pomf.basedir", "."), "src/main/webapp/WEB-INF/error.html");
        // The WAR's error page: its bytes must never pose as content.
        this.errorPage = Files.exists(page) ? Files.readAllBytes(page) : new byte[281];
    }

    /** The seed from {@code -Dchaos.seed}, or a new one. */
    public static long seed() {
        String given = System.getProperty("chaos.seed", "");
        return given.isBlank() ? new Random().nextLong() : Long.parseLong(given.trim());
    }

    /** {@code target/edge-chaos/<time>-seed<seed>}. */
    public static Path defaultFolder(long seed) {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of(System.getProperty("pomf.basedir", "."), "target", "edge-chaos", time + "-seed" + seed);
    }

    public static ChaosResult quick(long seed, Path folder, PrintStream out) throws IOException {
        return run(ChaosPlan.quick(seed), folder, out);
    }

    static ChaosResult run(ChaosPlan plan, Path folder, PrintStream out) throws IOException {
        return new EdgeChaos(plan, folder, out).perform(out);
    }

    private ChaosResult perform(PrintStream out) {
        long seed = plan.seed();
        events.say("edge chaos, " + plan.name() + " plan, seed " + seed + " (replay: -Dchaos.seed=" + seed + "), "
                + plan.threads() + " clients, in " + folder);
        Situation situation = new Situation();
        OriginLedger ledger = new OriginLedger();
        ChaosTally tally = new ChaosTally(folder.resolve("problems.txt"), events, seed);
        String failure = null;
        List<Tmpfs> mounts = new ArrayList<>();
        try (TestOrigin origin = TestOrigin.start(plan.originPort())) {
            ChaosCatalogue catalogue =
                    new ChaosCatalogue(origin, ledger, plan.sizes(), errorPage.length, new Random(seed));
            EdgeNode edge = new EdgeNode(
                    plan.edgePort(), origin.url(), "chaos-" + Long.toHexString(seed), folder, situation, events);
            ChaosClients clients = new ChaosClients(
                    plan.threads(),
                    seed,
                    plan.edgePort(),
                    plan.readMillis(),
                    new RequestDraw(catalogue, ledger),
                    new AnswerCheck(ledger, errorPage),
                    situation,
                    tally);
            OriginFaults faults = new OriginFaults(origin, catalogue, situation, events, new Random(seed + 1));
            Churn churn = new Churn(catalogue, edge, events, new Random(seed + 2));
            ChaosPhases phases = new ChaosPhases(plan, folder, edge, situation, events, mounts, tally);
            List<Thread> changers = List.of(daemon(faults, "chaos-origin-faults"), daemon(churn, "chaos-churn"));
            // Ctrl-C must not leave the edge running or a tmpfs mounted. An edge still starting is not in EdgeNode
            // yet: this JVM's children are the edges it started.
            Thread cleanup = new Thread(
                    () -> {
                        edge.close();
                        ProcessHandle.current().children().forEach(EdgeChaos::kill);
                        mounts.forEach(Tmpfs::close);
                    },
                    "edge-chaos-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                phases.run(() -> {
                    clients.start();
                    changers.forEach(Thread::start);
                });
            } catch (Exception | AssertionError e) {
                failure = e.toString();
                events.say("the run stopped early: " + e);
            } finally {
                faults.stop();
                churn.stop();
                join(changers);
                finish(clients);
                edge.close();
                removeHook(cleanup);
                events.say("changes: " + churn.counts() + "; origin requests: " + origin.totalRequests());
            }
        } catch (RuntimeException e) {
            failure = e.toString();
            events.say("the run could not start: " + e);
        } finally {
            mounts.forEach(Tmpfs::close);
            removeBulk();
        }
        return result(tally, failure, out);
    }

    /** Removes the cache folders and Payara's root folders; the logs, events, problems and table stay. */
    private void removeBulk() {
        try (var entries = Files.list(folder)) {
            entries.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().matches("cache-\\d+|payara-\\d+"))
                    .forEach(pomf.it.deployments.Deployments::deleteTree);
        } catch (IOException e) {
            events.say("cannot clean " + folder + ": " + e);
        }
    }

    /** Waits for the fault and change threads, so none changes the origin after it is closed. */
    private static void join(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void finish(ChaosClients clients) {
        try {
            clients.finish(Duration.ofMillis(plan.readMillis() + 5_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ChaosResult result(ChaosTally tally, String failure, PrintStream out) {
        String table = tally.table();
        out.println();
        out.println("edge chaos, " + plan.name() + " plan, seed " + plan.seed() + ":");
        out.print(table);
        out.println(
                tally.failures() == 0
                        ? "no wrong body, no error page, no 404 for an existing object"
                        : tally.failures() + " failures, each in " + folder.resolve("problems.txt"));
        try {
            Files.writeString(folder.resolve("table.txt"), table);
        } catch (IOException e) {
            out.println("cannot write the table: " + e);
        }
        return new ChaosResult(
                plan.seed(),
                tally.answered(),
                tally.answeredReady(),
                tally.count(Verdict.Kind.WRONG),
                tally.count(Verdict.Kind.ERROR_PAGE),
                tally.count(Verdict.Kind.NOT_FOUND_EXISTING),
                tally.notFoundWhileReady(),
                tally.count(Verdict.Kind.CUT),
                tally.count(Verdict.Kind.REFUSED),
                tally.count(Verdict.Kind.STATUS_5XX),
                tally.count(Verdict.Kind.TIMEOUT),
                table,
                folder,
                failure);
    }

    /** Removes a shutdown hook, unless the JVM is already shutting down (then it runs). */
    static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs
        }
    }

    /** SIGKILL, and a few seconds for the process to go (a tmpfs it holds open cannot be unmounted before). */
    private static void kill(ProcessHandle process) {
        process.destroyForcibly();
        try {
            process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println("[edge-chaos] process " + process.pid() + " did not end: " + e);
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
