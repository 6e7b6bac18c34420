package pomf.rehearsal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import pomf.it.deployments.PayaraProcess;
import pomf.it.servers.Bind;
import pomf.it.servers.S3Server;
import pomf.run.EmbeddedDatabase;

/**
 * The configuration of each instance of the {@link Stage}, as the operator would write it in properties files: one
 * shared secret for purges and traffic records, short flush and cache validity so that a run of minutes shows what a
 * day would, and the witness rules of the original (4 strikes) on a 2-second tick instead of a minute.
 */
final class StageConfig {
    static final String API_TOKEN = "rehearsal-api-token-0123456789";
    static final String ADMIN_PASSWORD = "rehearsal-admin-password";
    /**
     * The witnesses' tick: 2 s, not the production 60 s, so that a run of minutes shows kills and revivals. Not 1 s:
     * on two busy cores a tick's checks take about a second, and every overrun skips the next tick.
     */
    static final int TICK_SECONDS = 2;

    static final int STRIKES = 4;
    static final int CLEAN_TICKS_TO_REVIVE = 3;
    /** Seconds a cached file is fresh: short, so that the origin's outage finds stale entries to serve. */
    static final int VALID_SECONDS = 10;
    /** The bucket variant's bucket, and its part size (S3's smallest, so that uploads of 6 MiB are multipart). */
    static final String BUCKET = "pomf-rehearsal";

    static final long PART_SIZE = 5L << 20;
    /** The bucket variant's janitor interval: an origin's orphan sweep runs this long after its start. */
    static final int JANITOR_SECONDS = 5;

    private final Path folder;
    private final RehearsalPlan plan;

    StageConfig(Path folder, RehearsalPlan plan) {
        this.folder = folder;
        this.plan = plan;
    }

    /** Origin {@code which}'s storage folder (in the bucket variant: only resumable uploads' partial files). */
    Path storage(int which) {
        return folder.resolve(originName(which)).resolve("files");
    }

    Path cacheDir(int edge) {
        return folder.resolve("edge" + (edge + 1)).resolve("cache");
    }

    /** Origin {@code which} (0: A, the only one of the plain plan; 1: B of the bucket variant). */
    Map<String, String> origin(int which, String databaseUrl) {
        Map<String, String> config = common(databaseUrl);
        config.put("pomf.it.heap", "512m");
        config.put("pomf.roles", "origin,admin");
        config.put("pomf.node.name", originName(which));
        config.put("pomf.storage.dir", storage(which).toString());
        config.put("pomf.public-url", originUrl(which));
        StringBuilder edges = new StringBuilder();
        for (String address : Stage.EDGES) {
            edges.append(edges.isEmpty() ? "" : ",")
                    .append("http://")
                    .append(address)
                    .append(':')
                    .append(Stage.EDGE_PORT);
        }
        config.put("pomf.origin.edges", edges.toString());
        config.put("pomf.edge.purge-token", Stage.TOKEN);
        config.put("pomf.api.token", API_TOKEN);
        config.put("pomf.admin.password", ADMIN_PASSWORD);
        if (plan.onBucket()) {
            // As an operator writes it for a bucket; the keys from the environment, as secrets are.
            config.put("pomf.storage.kind", "s3");
            config.put("pomf.storage.s3.endpoint", "http://127.0.0.1:" + Stage.S3_PORT);
            config.put("pomf.storage.s3.bucket", BUCKET);
            config.put("pomf.storage.s3.part-size", Long.toString(PART_SIZE));
            config.put("pomf.storage.s3.stale-after", plan.bucket().staleAfter().toMinutes() + "m");
            // The first janitor tick (the orphan sweep after a start) comes seconds after the start, not a minute.
            config.put("pomf.storage.janitor-interval", Integer.toString(JANITOR_SECONDS));
            config.put(PayaraProcess.ENV + "POMF_S3_ACCESS_KEY", S3Server.ACCESS_KEY);
            config.put(PayaraProcess.ENV + "POMF_S3_SECRET_KEY", S3Server.SECRET_KEY);
        }
        return config;
    }

    static String originName(int which) {
        return which == 0 ? "origin" : "origin-b";
    }

    static String originUrl(int which) {
        return "http://127.0.0.1:" + Stage.ORIGIN_PORTS[which];
    }

    /** The origin an edge fetches from: A, but edge2 from B in the bucket variant. */
    int originOf(int edge) {
        return plan.onBucket() && edge == 1 ? 1 : 0;
    }

    Map<String, String> edge(int i, String databaseUrl) {
        Map<String, String> config = common(databaseUrl);
        config.put("pomf.roles", "edge");
        config.put("pomf.node.name", "edge" + (i + 1));
        config.put("pomf.edge.origin-url", originUrl(originOf(i)));
        config.put("pomf.edge.cache-dir", cacheDir(i).toString());
        config.put("pomf.edge.max-size", Long.toString(plan.edgeCacheBytes()));
        config.put("pomf.edge.valid", VALID_SECONDS + "s");
        config.put("pomf.edge.purge-token", Stage.TOKEN);
        config.put("pomf.public-url", originUrl(originOf(i)));
        return config;
    }

    Map<String, String> witness(int i, String databaseUrl, Path trust, Bind bind) {
        Map<String, String> config = common(databaseUrl);
        config.put("pomf.roles", "witness");
        config.put("pomf.node.name", "witness" + (i + 1));
        config.put("pomf.witness.name", "witness" + (i + 1));
        config.put("pomf.api.token", API_TOKEN);
        config.put("pomf.witness.interval-seconds", Integer.toString(TICK_SECONDS));
        config.put("pomf.witness.strikes", Integer.toString(STRIKES));
        config.put("pomf.witness.revive.clean-ticks", Integer.toString(CLEAN_TICKS_TO_REVIVE));
        config.put("pomf.witness.revive.min-dead-minutes", "0");
        // Deadlines generous enough that a busy machine's slow TLS handshake is no strike; a dead edge fails at once.
        config.put("pomf.witness.https.timeout-ms", "3000");
        config.put("pomf.witness.ssh.timeout-ms", "3000");
        config.put("pomf.witness.ping.timeout-ms", "1000");
        config.put("pomf.witness.ping.threads", "8");
        config.put("pomf.witness.https.trust-store", trust.toString());
        config.put("pomf.witness.https.trust-store-password", "changeit");
        config.putAll(bind.witnessDnsConfig());
        config.put("pomf.witness.record", Stage.RECORD);
        config.put("pomf.witness.allowed-check-ports", Integer.toString(Stage.HTTPS_PORT));
        config.put("pomf.witness.allowed-ssh-ports", Integer.toString(Stage.SSH_PORT));
        StringBuilder names = new StringBuilder();
        for (int e = 0; e < Stage.EDGES.size(); e++) {
            String node = "edge" + (e + 1);
            names.append(e == 0 ? "" : ",").append(node);
            config.put("pomf.witness.node." + node + ".address", Stage.EDGES.get(e));
            config.put("pomf.witness.node." + node + ".ssh-port", Integer.toString(Stage.SSH_PORT));
        }
        config.put("pomf.witness.nodes", names.toString());
        return config;
    }

    private static Map<String, String> common(String databaseUrl) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("pomf.db.url", databaseUrl);
        config.put("pomf.db.user", EmbeddedDatabase.USER);
        config.put("pomf.db.password", EmbeddedDatabase.PASSWORD);
        config.put("pomf.traffic.token", Stage.TOKEN);
        config.put("pomf.traffic.flush-seconds", "2");
        return config;
    }
}
