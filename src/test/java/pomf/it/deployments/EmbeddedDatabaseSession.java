package pomf.it.deployments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import pomf.run.EmbeddedDatabase;

/**
 * Starts one embedded PostgreSQL per test JVM, before Arquillian reads {@code arquillian.xml} (which passes its
 * URL to every Payara Micro it boots as {@code pomf.it.db.url}). Only the integration-test run asks for it.
 */
public class EmbeddedDatabaseSession implements LauncherSessionListener {
    public static final String URL_PROPERTY = "pomf.it.db.url";
    private EmbeddedDatabase database;
    private final java.time.Instant started = java.time.Instant.now();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!Boolean.getBoolean("pomf.it.embedded-db") || System.getProperty(URL_PROPERTY) != null) {
            return;
        }
        try {
            database = EmbeddedDatabase.start(Files.createTempDirectory("pomf-it-pg"), false, 0, "pomf");
            System.setProperty(URL_PROPERTY, database.url());
            System.setProperty("pomf.it.db.user", EmbeddedDatabase.USER);
            System.setProperty("pomf.it.db.password", EmbeddedDatabase.PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL for the integration tests did not start", e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        removeArquillianFolders();
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The Payara Micro container leaves a folder per boot in the temp folder; ours go when the run ends. */
    private void removeArquillianFolders() {
        if (database == null) {
            return;
        }
        java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        try (var folders = Files.newDirectoryStream(tmp, "arquillian-payara-micro*")) {
            for (java.nio.file.Path folder : folders) {
                if (Files.getLastModifiedTime(folder).toInstant().isAfter(started)) {
                    Deployments.deleteTree(folder);
                }
            }
        } catch (IOException e) {
            // best effort
        }
    }
}
