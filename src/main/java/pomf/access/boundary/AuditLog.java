package pomf.access.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import pomf.access.entity.Actor;
import pomf.access.entity.AuditRow;

/**
 * The audit trail ({@code admin_action}): one row per state-changing administrative action, who, from where. One
 * statement through the data source, so it works from any caller: inside a transaction it joins it, outside one
 * (a page's action, the login mechanism) it commits on its own.
 */
@ApplicationScoped
public class AuditLog {
    @Resource(lookup = "java:app/jdbc/pomf")
    DataSource dataSource;

    public void record(String actor, String address, String action, String target, String detail) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into admin_action (actor, address, action, target, detail) values (?, ?, ?, ?, ?)")) {
            insert.setString(1, actor);
            insert.setString(2, address == null ? "" : address);
            insert.setString(3, action);
            insert.setString(4, target == null ? "" : target);
            insert.setString(5, detail == null ? "" : detail);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("writing the audit trail: " + e.getMessage(), e);
        }
    }

    public void record(Actor actor, String action, String target, String detail) {
        record(actor.name(), actor.address(), action, target, detail);
    }

    /** The newest {@code limit} entries: administrative actions and node changes (kept in node_event) together. */
    public List<AuditRow> recent(int limit) {
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
}
