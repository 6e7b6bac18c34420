package pomf.traffic.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;
import pomf.traffic.control.TrafficSql;
import pomf.traffic.entity.Batch;

/** Writes traffic batches, one transaction each, for this instance's flushes and for the edges' ingest. */
@Stateless
public class TrafficStore {

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    /**
     * @return false when the batch had been written before
     * @throws IllegalStateException when the write failed; a runtime exception, so the transaction rolls back and
     *     the batch's id is not kept without its rows
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean write(Batch batch) {
        try (Connection connection = dataSource.getConnection()) {
            return TrafficSql.write(connection, batch);
        } catch (SQLException e) {
            throw new IllegalStateException("writing traffic batch " + batch.id() + ": " + e.getMessage(), e);
        }
    }
}
