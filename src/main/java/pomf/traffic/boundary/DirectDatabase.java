package pomf.traffic.boundary;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;
import pomf.traffic.control.BatchSink;
import pomf.traffic.control.TrafficSql;
import pomf.traffic.entity.Batch;

/**
 * The database without the container, for the shutdown hook: Payara shuts down beside it (its connection pool may
 * already be closed), so the last batches go over a connection of their own with short timeouts and a commit each.
 */
final class DirectDatabase implements BatchSink {
    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    DirectDatabase(String url, String user, String password, int timeoutSeconds) {
        dataSource.setURL(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setLoginTimeout(timeoutSeconds);
        dataSource.setConnectTimeout(timeoutSeconds);
        dataSource.setSocketTimeout(timeoutSeconds);
    }

    @Override
    public void write(Batch batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                TrafficSql.write(connection, batch);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
