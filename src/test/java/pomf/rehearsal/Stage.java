package pomf.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import pomf.it.deployments.Deployments;
import pomf.it.deployments.PayaraProcess;
import pomf.it.servers.Bind;
import pomf.it.servers.Sshd;
import pomf.it.servers.TlsFront;
import pomf.it.servers.TrustBundle;
import pomf.run.EmbeddedDatabase;

/**
 * The whole system on one machine, every part real and a process of its own: PostgreSQL, BIND with the edges'
 * round-robin record, the origin (with the admin), three edges on loopback addresses of their own sharing one port
 * as DNS-balanced nodes do (each behind a TLS front for the witnesses' HTTPS check, each with its own sshd), and two
 * witnesses on the same database. The fault methods are what the operator's bad day did to it.
 */
final class Stage implements AutoCloseable {
    static final String ZONE = "rehearsal.test";
    static final String RECORD = "cdn." + ZONE;
    static final List<String> EDGES = List.of("127.0.0.71", "127.0.0.72", "127.0.0.73");
    static final int EDGE_PORT = 18750;
    static final int HTTPS_PORT = 18751;
    static final int SSH_PORT = 18752;
    static final int ORIGIN_PORT = 18753;
    static final int[] WITNESS_PORTS = {18754, 18755};
    static final int DNS_PORT = 18756;
    static final int DATABASE_PORT = 18757;
    static final String TOKEN = "rehearsal-shared-secret-0123456789";

    final Path folder;
    final RehearsalPlan plan;
    final StageConfig config;
    EmbeddedDatabase database;
    Bind bind;
    PayaraProcess origin;
    final PayaraProcess[] edges = new PayaraProcess[EDGES.size()];
    final PayaraProcess[] witnesses = new PayaraProcess[WITNESS_PORTS.length];
    private final TlsFront[] fronts = new TlsFront[EDGES.size()];
    private final Sshd[] sshd = new Sshd[EDGES.size()];
    private final Progress progress;

    private Stage(Path folder, RehearsalPlan plan, Progress progress) {
        this.folder = folder;
        this.plan = plan;
        this.progress = progress;
        this.config = new StageConfig(folder, plan);
    }

    /** Starts everything and returns once every instance answers ready; stops what it started when one fails. */
    static Stage start(Path folder, RehearsalPlan plan, Progress progress) {
        Stage stage = new Stage(folder, plan, progress);
        try {
            stage.startAll();
            return stage;
        } catch (RuntimeException | IOException e) {
            stage.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    private void startAll() throws IOException {
        progress.say("PostgreSQL on 127.0.0.1:" + DATABASE_PORT);
        startDatabase();
        progress.say("BIND on 127.0.0.1:" + DNS_PORT + " with " + RECORD + " = " + EDGES);
        bind = Bind.start(folder.resolve("bind"), DNS_PORT, ZONE, Map.of("cdn", EDGES));
        List<TrustBundle.Source> trusted = new ArrayList<>();
        for (int i = 0; i < EDGES.size(); i++) {
            String address = EDGES.get(i);
            fronts[i] = TlsFront.start(
                    folder.resolve("tls"), address, HTTPS_PORT, new InetSocketAddress(address, EDGE_PORT));
            trusted.add(new TrustBundle.Source(fronts[i].trustStore(), fronts[i].trustStorePassword()));
            sshd[i] = Sshd.start(folder.resolve("sshd-" + i), address, SSH_PORT);
        }
        Path trust = TrustBundle.write(folder.resolve("witness-trust.p12"), "changeit", trusted);
        progress.say("origin on 127.0.0.1:" + ORIGIN_PORT);
        origin = startOrigin();
        progress.say("3 edges on " + EDGES + " port " + EDGE_PORT + ", then 2 witnesses on 127.0.0.1:"
                + WITNESS_PORTS[0] + ", " + WITNESS_PORTS[1]);
        List<CompletableFuture<Void>> boots = new ArrayList<>();
        for (int i = 0; i < EDGES.size(); i++) {
            int edge = i;
            boots.add(CompletableFuture.runAsync(() -> edges[edge] = startEdge(edge)));
        }
        CompletableFuture.allOf(boots.toArray(CompletableFuture[]::new)).join();
        // Witnesses start once the edges answer: an edge still booting would collect strikes and be killed.
        boots.clear();
        for (int i = 0; i < WITNESS_PORTS.length; i++) {
            int witness = i;
            boots.add(CompletableFuture.runAsync(() -> witnesses[witness] = startWitness(witness, trust)));
        }
        CompletableFuture.allOf(boots.toArray(CompletableFuture[]::new)).join();
    }

    void startDatabase() throws IOException {
        database = EmbeddedDatabase.start(folder.resolve("postgres"), true, DATABASE_PORT, "pomf");
    }

    PayaraProcess startOrigin() {
        return PayaraProcess.start("127.0.0.1", ORIGIN_PORT, work("origin"), config.origin(database.url()));
    }

    /** Edge {@code i}, with an empty cache when it starts for the first time or cold. */
    PayaraProcess startEdge(int i) {
        return PayaraProcess.start(EDGES.get(i), EDGE_PORT, work("edge" + (i + 1)), config.edge(i, database.url()));
    }

    private PayaraProcess startWitness(int i, Path trust) {
        Map<String, String> witness = config.witness(i, database.url(), trust, bind);
        for (int e = 0; e < EDGES.size(); e++) {
            witness.put(
                    "pomf.witness.node.edge" + (e + 1) + ".check-url",
                    fronts[e].url("/health/ready").toString());
        }
        return PayaraProcess.start("127.0.0.1", WITNESS_PORTS[i], work("witness" + (i + 1)), witness);
    }

    /** kill -9 of edge {@code i}: no shutdown hook, its unflushed traffic tally is lost as on a real crash. */
    void killEdge(int i) {
        edges[i].kill();
    }

    /** Starts edge {@code i} again with its cache folder emptied, as a replacement machine would come up. */
    void restartEdgeCold(int i) {
        Deployments.deleteTree(config.cacheDir(i));
        edges[i] = startEdge(i);
    }

    void stopOrigin() {
        origin.stop();
    }

    void restartOrigin() {
        origin = startOrigin();
    }

    void stopDatabase() throws IOException {
        database.close();
    }

    Path work(String name) {
        Path work = folder.resolve(name);
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return work;
    }

    /** Everything's log, for a failed run: where to look. */
    Map<String, Path> logs() {
        Map<String, Path> logs = new LinkedHashMap<>();
        for (String name : List.of("origin", "edge1", "edge2", "edge3", "witness1", "witness2")) {
            logs.put(name, folder.resolve(name));
        }
        return logs;
    }

    /**
     * SIGTERM, in the order that keeps traffic records: edges first (their shutdown hook hands the last minute to the
     * origin), then the witnesses, then the origin (which writes the rest to the database). The database stays up.
     */
    void stopInstances() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (PayaraProcess edge : edges) {
            if (edge != null && edge.alive()) {
                stops.add(CompletableFuture.runAsync(edge::stop));
            }
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        for (PayaraProcess witness : witnesses) {
            if (witness != null) {
                witness.stop();
            }
        }
        if (origin != null && origin.alive()) {
            origin.stop();
        }
    }

    @Override
    public void close() {
        for (PayaraProcess p : edges) {
            quietly(p);
        }
        for (PayaraProcess p : witnesses) {
            quietly(p);
        }
        quietly(origin);
        for (int i = 0; i < EDGES.size(); i++) {
            quietly(fronts[i]);
            quietly(sshd[i]);
        }
        quietly(bind);
        quietly(database);
    }

    private static void quietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // going down anyway; the next part must still be stopped
            }
        }
    }
}
