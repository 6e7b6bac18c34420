package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import pomf.admin.control.AdminSql;
import pomf.admin.control.Series;
import pomf.admin.entity.DnsChange;
import pomf.admin.entity.NodeBoardRow;

/**
 * The nodes page's reading (by {@link AdminSql}): each node with its strikes and last checks, the strike timeline,
 * open DNS changes.
 */
@Stateless
public class NodeBoard {
    @Inject
    AdminSql sql;

    /** Every node with its strikes of the last hour and its last checks. */
    public List<NodeBoardRow> rows() {
        return sql.nodeBoard();
    }

    /** Strikes per node per minute over the last hour. */
    public Series strikeTimeline() {
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC).withSecond(0).withNano(0);
        return sql.strikesPerMinute(to.minusHours(1), to);
    }

    /** The DNS changes not yet done with. */
    public List<DnsChange> openDnsChanges() {
        return sql.openDnsChanges();
    }
}
