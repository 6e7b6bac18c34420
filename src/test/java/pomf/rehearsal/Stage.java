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
import pomf.it.servers.S3Server;
import pomf.it.servers.Sshd;
import pomf.it.servers.TlsFront;
import pomf.it.servers.TrustBundle;
import pomf.run.EmbeddedDatabase;
import pomf.storage.control.S3Settings;

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
    /** The bucket variant's S3 server (S3Proxy in the rehearsal's JVM) and its origin B. */
    static final int S3_PORT = 18765;

    static final int ORIGIN_B_PORT = 18766;
    static final int[] ORIGIN_PORTS = {ORIGIN_PORT, ORIGIN_B_PORT};
    static final String TOKEN = "rehearsal-shared-secret-0123456789";

    final Path folder;
    final RehearsalPlan plan;
    final StageConfig config;
    EmbeddedDatabase database;
    Bind bind;
    /** The bucket variant's store, null otherwise. */
    S3Server s3;
    /** Origin A ({@link #ORIGIN_PORT}); in the bucket variant also origin B ({@link #ORIGIN_B_PORT}). */
    final PayaraProcess[] origins = new PayaraProcess[2];

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
        if (plan.onBucket()) {
            startOnBucket();
            return;
        }
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
        origins[0] = startOrigin(0);
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

    /**
     * The bucket variant: S3Proxy in this JVM keeping its bucket in the rehearsal's folder, origins A and B on it and
     * on the one database, and the three edges split between them (edge1 and edge3 fetch from A, edge2 from B). No
     * witnesses (nor their TLS fronts and sshd): no edge dies here, and the plain plan rehearses them.
     */
    private void startOnBucket() {
        progress.say("S3 server (S3Proxy) on 127.0.0.1:" + S3_PORT + ", bucket " + StageConfig.BUCKET);
        s3 = S3Server.start(folder.resolve("s3"), S3_PORT);
        s3.createBucket(StageConfig.BUCKET);
        progress.say(
                "origins A on 127.0.0.1:" + ORIGIN_PORT + " and B on 127.0.0.1:" + ORIGIN_B_PORT + ", on the bucket");
        // Both at once: Flyway's lock in PostgreSQL lets one migrate the schema while the other waits.
        CompletableFuture.allOf(
                        CompletableFuture.runAsync(() -> origins[0] = startOrigin(0)),
                        CompletableFuture.runAsync(() -> origins[1] = startOrigin(1)))
                .join();
        progress.say("3 edges on " + EDGES + " port " + EDGE_PORT + ": edge1 and edge3 from A, edge2 from B");
        List<CompletableFuture<Void>> boots = new ArrayList<>();
        for (int i = 0; i < EDGES.size(); i++) {
            int edge = i;
            boots.add(CompletableFuture.runAsync(() -> edges[edge] = startEdge(edge)));
        }
        CompletableFuture.allOf(boots.toArray(CompletableFuture[]::new)).join();
    }

    /** The bucket's client, for the checks (list blobs, staged objects, multipart uploads). */
    io.minio.MinioAsyncClient bucketClient() {
        return new S3Settings(
                        "http://127.0.0.1:" + S3_PORT,
                        "us-east-1",
                        StageConfig.BUCKET,
                        true,
                        StageConfig.PART_SIZE,
                        S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY)
                .newClient();
    }

    void startDatabase() throws IOException {
        database = EmbeddedDatabase.start(folder.resolve("postgres"), true, DATABASE_PORT, "pomf");
    }

    PayaraProcess startOrigin(int which) {
        return PayaraProcess.start(
                "127.0.0.1",
                ORIGIN_PORTS[which],
                work(StageConfig.originName(which)),
                config.origin(which, database.url()));
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
        origins[0].stop();
    }

    /** kill -9 of origin {@code which}: its uploads and answers in flight are cut, nothing of it runs down. */
    void killOrigin(int which) {
        origins[which].kill();
    }

    /** Starts origin {@code which} again on the same folders (the process must have ended). */
    void restartOrigin(int which) {
        origins[which] = startOrigin(which);
    }

    void restartOrigin() {
        restartOrigin(0);
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
        for (String name : List.of("origin", "origin-b", "edge1", "edge2", "edge3", "witness1", "witness2")) {
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
        List<CompletableFuture<Void>> origins = new ArrayList<>();
        for (PayaraProcess origin : this.origins) {
            if (origin != null && origin.alive()) {
                origins.add(CompletableFuture.runAsync(origin::stop));
            }
        }
        CompletableFuture.allOf(origins.toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public void close() {
        for (PayaraProcess p : edges) {
            quietly(p);
        }
        for (PayaraProcess p : witnesses) {
            quietly(p);
        }
        for (PayaraProcess p : origins) {
            quietly(p);
        }
        for (int i = 0; i < EDGES.size(); i++) {
            quietly(fronts[i]);
            quietly(sshd[i]);
        }
        if (s3 != null) {
            quietly(s3::stop); // its folder stays with the rest, for a failed run
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
