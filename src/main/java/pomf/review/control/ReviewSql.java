package pomf.review.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import pomf.review.entity.ReviewItem;
import pomf.review.entity.ReviewOrder;

/**
 * The review queue's statements, native SQL in the caller's transaction. Writes {@code review_item}; reads
 * {@code review_item}.
 */
@ApplicationScoped
public class ReviewSql {
    @PersistenceContext
    EntityManager em;

    /** Adds a report from the public about the link {@code storedName}, made {@code at}; returns its id. */
    public long addReport(
            String storedName,
            String sha256,
            String category,
            String details,
            String contact,
            String address,
            LocalDateTime at) {
        return ((Number) em.createNativeQuery("insert into review_item (stored_name, sha256, source, category, reason,"
                                + " contact, reporter_address, created_at) values (?1, ?2, 'report', ?3, ?4, ?5, ?6, ?7)"
                                + " returning id")
                        .setParameter(1, storedName)
                        .setParameter(2, sha256)
                        .setParameter(3, category)
                        .setParameter(4, details)
                        .setParameter(5, contact)
                        .setParameter(6, address)
                        .setParameter(7, at)
                        .getSingleResult())
                .longValue();
    }

    /** Open items (or all), in {@code order}, of {@code category} when not null, up to {@code limit} (1 to 1000). */
    public List<ReviewItem> items(boolean openOnly, ReviewOrder order, String category, int limit) {
        String sql = "select r.id, r.stored_name, r.sha256, r.source, r.category, r.reason, r.contact, r.created_at,"
                + " r.resolved_at, r.resolved_by, r.resolution,"
                + " (select count(*) from review_item o where o.stored_name = r.stored_name and o.resolved_at is null)"
                + " as reports from review_item r where (?1 = false or r.resolved_at is null)"
                + " and (cast(?2 as varchar) is null or r.category = ?2)"
                + (order == ReviewOrder.MOST_REPORTED ? " order by reports desc, r.created_at desc, r.id desc" : "")
                + (order == ReviewOrder.NEWEST ? " order by r.created_at desc, r.id desc" : "")
                + " limit ?3";
        List<?> rows = em.createNativeQuery(sql)
                .setParameter(1, openOnly)
                .setParameter(2, category)
                .setParameter(3, Math.max(1, Math.min(1000, limit)))
                .getResultList();
        List<ReviewItem> items = new ArrayList<>(rows.size());
        rows.forEach(row -> items.add(item((Object[]) row)));
        return items;
    }

    /** The item {@code id}, open or closed, with no count of reports (0). */
    public Optional<ReviewItem> item(long id) {
        List<?> rows = em.createNativeQuery("select r.id, r.stored_name, r.sha256, r.source, r.category, r.reason,"
                        + " r.contact, r.created_at, r.resolved_at, r.resolved_by, r.resolution, 0 from review_item r"
                        + " where r.id = ?1")
                .setParameter(1, id)
                .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(item((Object[]) rows.get(0)));
    }

    /** Open items in all. */
    public long openCount() {
        return ((Number) em.createNativeQuery("select count(*) from review_item where resolved_at is null")
                        .getSingleResult())
                .longValue();
    }

    /** Closes the open item {@code id} {@code at}; false when there is no such open item. */
    public boolean resolve(long id, LocalDateTime at, String by, String resolution) {
        return em.createNativeQuery("update review_item set resolved_at = ?2, resolved_by = ?3, resolution = ?4"
                                + " where id = ?1 and resolved_at is null")
                        .setParameter(1, id)
                        .setParameter(2, at)
                        .setParameter(3, by)
                        .setParameter(4, resolution)
                        .executeUpdate()
                == 1;
    }

    /** Closes every open item of the content {@code sha256} {@code at}; returns how many. */
    public int resolveContent(String sha256, LocalDateTime at, String by, String resolution) {
        return em.createNativeQuery("update review_item set resolved_at = ?2, resolved_by = ?3, resolution = ?4"
                        + " where sha256 = ?1 and resolved_at is null")
                .setParameter(1, sha256)
                .setParameter(2, at)
                .setParameter(3, by)
                .setParameter(4, resolution)
                .executeUpdate();
    }

    private static ReviewItem item(Object[] c) {
        return new ReviewItem(
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
