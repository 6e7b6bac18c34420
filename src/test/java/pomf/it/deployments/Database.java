package pomf.it.deployments;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Direct access to the test PostgreSQL, as an operator with psql would have it. */
public final class Database {
    private Database() {}

    public static Connection connect(String database) throws SQLException {
        String url = System.getProperty(EmbeddedDatabaseSession.URL_PROPERTY);
        String target = url.substring(0, url.lastIndexOf('/') + 1) + database;
        return DriverManager.getConnection(
                target, System.getProperty("pomf.it.db.user"), System.getProperty("pomf.it.db.password"));
    }

    public static long count(String sql, Object... params) {
        try (Connection c = connect("pomf");
                var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a query, each as its columns' text joined by " | ", for messages that explain a failure. */
    public static java.util.List<String> rows(String sql, Object... params) {
        try (Connection c = connect("pomf");
                var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            java.util.List<String> rows = new java.util.ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(i == 1 ? "" : " | ").append(rs.getString(i));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(String sql, Object... params) {
        try (Connection c = connect("pomf");
                var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes the application's database unreachable: new connections refused, existing ones cut, as when the
     * server goes away. {@link #reopen()} undoes it.
     */
    public static void cutOff() throws SQLException {
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("alter database pomf allow_connections false");
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'pomf'");
        }
    }

    public static void reopen() throws SQLException {
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("alter database pomf allow_connections true");
        }
    }
}
