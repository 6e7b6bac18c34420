package pomf.rehearsal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import pomf.it.servers.Bind;
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

    private final Path folder;
    private final RehearsalPlan plan;

    StageConfig(Path folder, RehearsalPlan plan) {
        this.folder = folder;
        this.plan = plan;
    }

    Path storage() {
        return folder.resolve("origin").resolve("files");
    }

    Path cacheDir(int edge) {
        return folder.resolve("edge" + (edge + 1)).resolve("cache");
    }

    Map<String, String> origin(String databaseUrl) {
        Map<String, String> config = common(databaseUrl);
        config.put("pomf.it.heap", "512m");
        config.put("pomf.roles", "origin,admin");
        config.put("pomf.node.name", "origin");
        config.put("pomf.storage.dir", storage().toString());
        config.put("pomf.public-url", "http://127.0.0.1:" + Stage.ORIGIN_PORT);
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
        return config;
    }

    Map<String, String> edge(int i, String databaseUrl) {
        Map<String, String> config = common(databaseUrl);
        config.put("pomf.roles", "edge");
        config.put("pomf.node.name", "edge" + (i + 1));
        config.put("pomf.edge.origin-url", "http://127.0.0.1:" + Stage.ORIGIN_PORT);
        config.put("pomf.edge.cache-dir", cacheDir(i).toString());
        config.put("pomf.edge.max-size", Long.toString(plan.edgeCacheBytes()));
        config.put("pomf.edge.valid", VALID_SECONDS + "s");
        config.put("pomf.edge.purge-token", Stage.TOKEN);
        config.put("pomf.public-url", "http://127.0.0.1:" + Stage.ORIGIN_PORT);
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
