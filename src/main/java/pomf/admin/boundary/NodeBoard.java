package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import pomf.admin.control.Series;

/** The nodes page's reading: each node with its strikes and last checks, the strike timeline, open DNS changes. */
@Stateless
public class NodeBoard {

    public record Row(
            String name,
            String address,
            String checkUrl,
            int sshPort,
            String record,
            String state,
            String reason,
            OffsetDateTime since,
            long strikesLastHour,
            String lastChecks) {}

    public record DnsChange(
            long id,
            String record,
            String address,
            String action,
            String state,
            int attempts,
            String lastError,
            OffsetDateTime createdAt) {}

    @PersistenceContext
    EntityManager em;

    public List<Row> rows() {
        List<?> rows = em.createNativeQuery("select n.name, n.address, n.check_url, n.ssh_port, n.record, n.state,"
                        + " n.state_reason, n.state_since,"
                        + " (select count(*) from strike s where s.node_id = n.id and s.tick > now() - interval '1 hour'),"
                        + " coalesce((select string_agg(c.check_kind || ' ' || c.outcome || ' ' || c.latency_ms || ' ms',"
                        + " ', ' order by c.check_kind) from check_result c where c.node_id = n.id"
                        + " and c.tick = (select max(tick) from check_result where node_id = n.id)"
                        + " and c.witness = (select max(witness) from check_result where node_id = n.id"
                        + " and tick = c.tick)), '')"
                        + " from node n order by n.record, n.name")
                .getResultList();
        List<Row> result = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            result.add(new Row(
                    (String) r[0],
                    (String) r[1],
                    (String) r[2],
                    ((Number) r[3]).intValue(),
                    (String) r[4],
                    (String) r[5],
                    (String) r[6],
                    Overview.instant(r[7]),
                    ((Number) r[8]).longValue(),
                    (String) r[9]));
        }
        return result;
    }

    /** Strikes per node per minute over the last hour. */
    public Series strikeTimeline() {
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC).withSecond(0).withNano(0);
        OffsetDateTime from = to.minusHours(1);
        Series series = new Series(from, to, 1);
        List<?> rows = em.createNativeQuery("select n.name, date_trunc('minute', s.tick), count(*) from strike s"
                        + " join node n on n.id = s.node_id where s.tick >= ?1 group by 1, 2")
                .setParameter(1, from)
                .getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            series.put((String) r[0], Overview.instant(r[1]), ((Number) r[2]).doubleValue());
        }
        return series;
    }

    public List<DnsChange> openDnsChanges() {
        List<?> rows = em.createNativeQuery(
                        "select id, record, address, action, state, attempts, last_error, created_at"
                                + " from dns_change where state in ('pending', 'applied') order by id")
                .getResultList();
        List<DnsChange> result = new ArrayList<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            result.add(new DnsChange(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    (String) r[4],
                    ((Number) r[5]).intValue(),
                    (String) r[6],
                    Overview.instant(r[7])));
        }
        return result;
    }
}
