package pomf.run;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server started from Java (zonky's binaries, run under {@code unshare -U}, so it works as
 * root). Test scope only: the production WAR never carries PostgreSQL.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    private final EmbeddedPostgres postgres;
    private final String url;

    private EmbeddedDatabase(EmbeddedPostgres postgres, String database) {
        this.postgres = postgres;
        this.url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    /**
     * @param dataDirectory kept between runs when {@code keep}; a fresh folder otherwise
     * @param port 0 for any free port
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean keep, int port, String database)
            throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(!keep)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
        if (keep) {
            // zonky turns durability off for speed; data that is kept must survive a crash.
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        createDatabase(postgres, database);
        return new EmbeddedDatabase(postgres, database);
    }

    public String url() {
        return url;
    }

    private static void createDatabase(EmbeddedPostgres postgres, String database) throws IOException {
        String admin = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute("alter user postgres password '" + PASSWORD + "'");
            try (var rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + database);
                }
            }
        } catch (SQLException e) {
            throw new IOException("embedded PostgreSQL did not accept the setup", e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
