package pomf.review.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pomf.registry.boundary.Registry;

/**
 * The review queue: links that need an admin's look. Hash lists put their stored matches here (quarantined already);
 * the public's reports land here too ({@code /report}). An admin sees it newest first, most reported first, or by
 * reason, marks an item reviewed, or takes the content down (which closes every open item of it); a hash list's
 * removal closes its items by itself.
 */
@ApplicationScoped
@Transactional
public class ReviewQueue {
    /** What the public may report a file for; hash-list matches are {@code hash_list}. */
    public static final Set<String> CATEGORIES =
            Set.of("illegal", "child_abuse", "copyright", "malware", "harassment", "spam", "other");

    @PersistenceContext
    EntityManager em;

    /**
     * One item of the queue.
     *
     * @param reports open items of the same link (how often it is reported, for "most reported")
     */
    public record Item(
            long id,
            String storedName,
            String sha256,
            String source,
            String category,
            String reason,
            String contact,
            LocalDateTime createdAt,
            LocalDateTime resolvedAt,
            String resolvedBy,
            String resolution,
            long reports) {}

    /** How the queue is ordered. */
    public enum Order {
        NEWEST,
        MOST_REPORTED
    }

    /** A report from the public about the link {@code storedName}. */
    public long report(
            String storedName, String sha256, String category, String details, String contact, String address) {
        return ((Number) em.createNativeQuery("insert into review_item (stored_name, sha256, source, category, reason,"
                                + " contact, reporter_address, created_at) values (?1, ?2, 'report', ?3, ?4, ?5, ?6, ?7)"
                                + " returning id")
                        .setParameter(1, storedName)
                        .setParameter(2, sha256)
                        .setParameter(3, category)
                        .setParameter(4, details)
                        .setParameter(5, contact)
                        .setParameter(6, address)
                        .setParameter(7, Registry.now())
                        .getSingleResult())
                .longValue();
    }

    /** Open items (or all), in {@code order}, of {@code category} when not null, up to {@code limit}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Item> items(boolean openOnly, Order order, String category, int limit) {
        String sql = "select r.id, r.stored_name, r.sha256, r.source, r.category, r.reason, r.contact, r.created_at,"
                + " r.resolved_at, r.resolved_by, r.resolution,"
                + " (select count(*) from review_item o where o.stored_name = r.stored_name and o.resolved_at is null)"
                + " as reports from review_item r where (?1 = false or r.resolved_at is null)"
                + " and (cast(?2 as varchar) is null or r.category = ?2)"
                + (order == Order.MOST_REPORTED ? " order by reports desc, r.created_at desc, r.id desc" : "")
                + (order == Order.NEWEST ? " order by r.created_at desc, r.id desc" : "")
                + " limit ?3";
        List<?> rows = em.createNativeQuery(sql)
                .setParameter(1, openOnly)
                .setParameter(2, category)
                .setParameter(3, Math.max(1, Math.min(1000, limit)))
                .getResultList();
        List<Item> items = new ArrayList<>(rows.size());
        rows.forEach(row -> items.add(item((Object[]) row)));
        return items;
    }

    /** Open items, newest first (the moderation page's default). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Item> items(boolean openOnly, int limit) {
        return items(openOnly, Order.NEWEST, null, limit);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Item> item(long id) {
        List<?> rows = em.createNativeQuery("select r.id, r.stored_name, r.sha256, r.source, r.category, r.reason,"
                        + " r.contact, r.created_at, r.resolved_at, r.resolved_by, r.resolution, 0 from review_item r"
                        + " where r.id = ?1")
                .setParameter(1, id)
                .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(item((Object[]) rows.get(0)));
    }

    /** Open items in all. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long openCount() {
        return ((Number) em.createNativeQuery("select count(*) from review_item where resolved_at is null")
                        .getSingleResult())
                .longValue();
    }

    /** Closes an open item; false when there is no such open item. */
    public boolean resolve(long id, String by, String resolution) {
        return em.createNativeQuery("update review_item set resolved_at = ?2, resolved_by = ?3, resolution = ?4"
                                + " where id = ?1 and resolved_at is null")
                        .setParameter(1, id)
                        .setParameter(2, Registry.now())
                        .setParameter(3, by)
                        .setParameter(4, resolution)
                        .executeUpdate()
                == 1;
    }

    /** Closes every open item of the content {@code sha256} (all its links); returns how many. */
    public int resolveContent(String sha256, String by, String resolution) {
        return em.createNativeQuery("update review_item set resolved_at = ?2, resolved_by = ?3, resolution = ?4"
                        + " where sha256 = ?1 and resolved_at is null")
                .setParameter(1, sha256)
                .setParameter(2, Registry.now())
                .setParameter(3, by)
                .setParameter(4, resolution)
                .executeUpdate();
    }

    private static Item item(Object[] c) {
        return new Item(
                ((Number) c[0]).longValue(),
                (String) c[1],
                ((String) c[2]).trim(),
                (String) c[3],
                (String) c[4],
                (String) c[5],
                (String) c[6],
                time(c[7]),
                time(c[8]),
                (String) c[9],
                (String) c[10],
                ((Number) c[11]).longValue());
    }

    private static LocalDateTime time(Object value) {
        return value == null ? null : value instanceof Timestamp t ? t.toLocalDateTime() : (LocalDateTime) value;
    }
}
