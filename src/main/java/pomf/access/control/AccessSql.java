package pomf.access.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import pomf.access.entity.AuditRow;
import pomf.database.boundary.SchemaMigration;

/**
 * The access feature's native SQL, in the caller's transaction when there is one: the audit trail's statements
 * (through the data source) and the first account's lock. Writes {@code admin_action}; reads {@code admin_action}
 * and {@code node_event}. The accounts themselves ({@code admin_account}) are JPA's.
 */
@ApplicationScoped
public class AccessSql {
    @PersistenceContext
    EntityManager em;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    /** Adds one line to the audit trail, each value as given (the caller neutralises them). */
    public void addAction(String actor, String address, String action, String target, String detail) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into admin_action (actor, address, action, target, detail) values (?, ?, ?, ?, ?)")) {
            insert.setString(1, actor);
            insert.setString(2, address);
            insert.setString(3, action);
            insert.setString(4, target);
            insert.setString(5, detail);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("writing the audit trail: " + e.getMessage(), e);
        }
    }

    /** The newest {@code limit} (1 to 1000) lines: administrative actions and node events together. */
    public List<AuditRow> recentActions(int limit) {
        List<AuditRow> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("select at, actor, address, action, target, detail from ("
                        + " select at, actor, address, action, target, detail from admin_action"
                        + " union all select at, actor, '', 'node.' || kind, node_name, reason from node_event) a"
                        + " order by at desc limit ?")) {
            query.setInt(1, Math.max(1, Math.min(limit, 1000)));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    result.add(new AuditRow(
                            rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit trail: " + e.getMessage(), e);
        }
        return result;
    }

    /** Waits for, then holds until the transaction ends, the lock under which the first account is created. */
    public void lockFirstAdmin() {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtext('pomf.first-admin'))")
                .getSingleResult();
    }
}
