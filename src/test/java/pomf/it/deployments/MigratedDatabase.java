package pomf.it.deployments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import pomf.run.EmbeddedDatabase;

/**
 * A real PostgreSQL for unit tests of statements whose meaning is the database's (a claim's race, a lease's end):
 * started on first use, once per test JVM, on a free port, with {@code sql/schema} migrated by Flyway as {@code
 * SchemaMigration} does at startup; it goes with the JVM. Tests share it, so each works on rows of its own (its own
 * job names, say) and never assumes an empty table.
 */
public final class MigratedDatabase {
    private static PGSimpleDataSource dataSource;

    private MigratedDatabase() {}

    /** The migrated database, started now if it is not yet. */
    public static synchronized PGSimpleDataSource dataSource() {
        if (dataSource == null) {
            EmbeddedDatabase database;
            try {
                database = EmbeddedDatabase.start(Files.createTempDirectory("pomf-unit-pg"), false, 0, "pomf");
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL for the unit tests did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(database), "pomf-unit-pg-stop"));
            PGSimpleDataSource source = new PGSimpleDataSource();
            source.setUrl(database.url());
            source.setUser(EmbeddedDatabase.USER);
            source.setPassword(EmbeddedDatabase.PASSWORD);
            Flyway.configure(MigratedDatabase.class.getClassLoader())
                    .dataSource(source)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            dataSource = source;
        }
        return dataSource;
    }

    /**
     * A database of its own on the same server, new and migrated, for tests whose statements read whole tables (the
     * blob move reads every row of {@code stored_file}) and so cannot share one with other tests' rows.
     */
    public static synchronized PGSimpleDataSource fresh(String prefix) {
        PGSimpleDataSource shared = dataSource();
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = shared.getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("database " + name + " cannot be created", e);
        }
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(shared.getUrl().replaceFirst("/[^/?]+$", "/" + name));
        source.setUser(EmbeddedDatabase.USER);
        source.setPassword(EmbeddedDatabase.PASSWORD);
        Flyway.configure(MigratedDatabase.class.getClassLoader())
                .dataSource(source)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return source;
    }

    private static void close(EmbeddedDatabase database) {
        try {
            database.close();
        } catch (IOException e) {
            // the JVM is ending; the folder is a temporary one
        }
    }
}
