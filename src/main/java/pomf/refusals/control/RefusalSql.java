package pomf.refusals.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.Dependent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Map;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;

/**
 * The refusals feature's one statement, through the data source. Writes {@code upload_refusal_day}; reads no table.
 * Dependent: it lives as long as {@link Refusals}, whose last flush at shutdown still needs it.
 */
@Dependent
public class RefusalSql {
    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    /** The key of a row of {@code upload_refusal_day}: a UTC day, a kind (block, hash_list, ban) and its name. */
    public record Key(LocalDate day, String kind, String name) {}

    /** Adds each count to its day's row (made when missing), in one batch. */
    public void addRefused(Map<Key, Long> counts) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert =
                        c.prepareStatement("insert into upload_refusal_day (day, kind, name, refused)"
                                + " values (?, ?, ?, ?) on conflict (day, kind, name) do update"
                                + " set refused = upload_refusal_day.refused + excluded.refused")) {
            for (Map.Entry<Key, Long> e : counts.entrySet()) {
                upsert.setObject(1, e.getKey().day());
                upsert.setString(2, e.getKey().kind());
                upsert.setString(3, e.getKey().name());
                upsert.setLong(4, e.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }
}
