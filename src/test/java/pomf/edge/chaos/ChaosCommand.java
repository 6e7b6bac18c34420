package pomf.edge.chaos;

import java.io.IOException;
import java.nio.file.Files;
import pomf.it.deployments.EmbeddedDatabaseSession;
import pomf.run.EmbeddedDatabase;

/**
 * {@code src/bench/edge-chaos.sh}: a chaos run from the command line, with a PostgreSQL of its own (edges do not use
 * it, but Payara validates the persistence unit when it deploys). Exits 0 when the run passed with enough answers
 * from a ready edge (200,000 for the full plan).
 */
public final class ChaosCommand {
    private ChaosCommand() {}

    /**
     * {@code full} (the default) or {@code short} as the argument; {@code -Dchaos.seed}, {@code -Dchaos.minutes} (24),
     * {@code -Dchaos.threads} (24) and {@code -Dchaos.db.port} (54720) shape the run.
     */
    public static void main(String[] args) throws Exception {
        long seed = EdgeChaos.seed();
        double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "24"));
        int threads = Integer.getInteger("chaos.threads", 24);
        ChaosPlan plan = args.length > 0 && args[0].equals("short")
                ? ChaosPlan.quick(seed)
                : ChaosPlan.full(seed, minutes, threads, Tmpfs.unavailable().orElse(null));
        EmbeddedDatabase database = null;
        if (System.getProperty(EmbeddedDatabaseSession.URL_PROPERTY) == null) {
            database = EmbeddedDatabase.start(
                    Files.createTempDirectory("pomf-chaos-pg"),
                    false,
                    Integer.getInteger("chaos.db.port", 54720),
                    "pomf");
            System.setProperty(EmbeddedDatabaseSession.URL_PROPERTY, database.url());
            System.setProperty("pomf.it.db.user", EmbeddedDatabase.USER);
            System.setProperty("pomf.it.db.password", EmbeddedDatabase.PASSWORD);
        }
        ChaosResult result;
        Thread stopDatabase = new Thread(closing(database), "edge-chaos-database");
        Runtime.getRuntime().addShutdownHook(stopDatabase); // Ctrl-C must not leave PostgreSQL running
        try {
            result = EdgeChaos.run(plan, EdgeChaos.defaultFolder(seed), System.out);
        } finally {
            EdgeChaos.removeHook(stopDatabase);
            closing(database).run();
        }
        boolean enough = result.answeredReady() >= plan.minAnswers();
        if (!enough) {
            System.out.println("[edge-chaos] only " + result.answeredReady() + " answers from a ready edge, fewer than "
                    + plan.minAnswers());
        }
        System.exit(result.passed() && enough ? 0 : 1);
    }

    private static Runnable closing(EmbeddedDatabase database) {
        return () -> {
            try {
                if (database != null) {
                    database.close();
                }
            } catch (IOException e) {
                System.out.println("[edge-chaos] PostgreSQL did not stop: " + e);
            }
        };
    }
}
