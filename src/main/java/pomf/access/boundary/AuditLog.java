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
import pomf.database.boundary.SchemaMigration;
import pomf.untrusted.control.UntrustedText;

/**
 * The audit trail ({@code admin_action}): one row per state-changing administrative action, who, from where. One
 * statement through the data source, so it works from any caller: inside a transaction it joins it, outside one
 * (a page's action, the login mechanism) it commits on its own. Every field may hold what a client typed (a failed
 * login's name, a ban's reason), so each is stored in its {@link UntrustedText neutral form}.
 */
@ApplicationScoped
public class AuditLog {
    // Room for the longest detail written today (a ban: hash, 1024-character reason, outcome) with a margin.
    private static final int DETAIL_LIMIT = 4096;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    public void record(String actor, String address, String action, String target, String detail) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into admin_action (actor, address, action, target, detail) values (?, ?, ?, ?, ?)")) {
            insert.setString(1, UntrustedText.neutral(actor));
            insert.setString(2, UntrustedText.neutral(address));
            insert.setString(3, UntrustedText.neutral(action));
            insert.setString(4, UntrustedText.neutral(target));
            insert.setString(5, UntrustedText.neutral(detail, DETAIL_LIMIT));
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
