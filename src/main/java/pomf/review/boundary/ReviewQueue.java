package pomf.review.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import pomf.registry.boundary.Registry;

/**
 * The review queue: links that need an admin's look, newest first. Hash lists put their stored matches here
 * (quarantined already); an admin marks an item reviewed, and the list's removal closes it by itself.
 */
@ApplicationScoped
@Transactional
public class ReviewQueue {
    @PersistenceContext
    EntityManager em;

    /** One item of the queue. */
    public record Item(
            long id,
            String storedName,
            String sha256,
            String source,
            String reason,
            LocalDateTime createdAt,
            LocalDateTime resolvedAt,
            String resolvedBy,
            String resolution) {}

    /** Open items (or all, newest first) up to {@code limit}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Item> items(boolean openOnly, int limit) {
        List<?> rows = em.createNativeQuery("select id, stored_name, sha256, source, reason, created_at, resolved_at,"
                        + " resolved_by, resolution from review_item"
                        + (openOnly ? " where resolved_at is null" : "")
                        + " order by created_at desc, id desc limit ?1")
                .setParameter(1, Math.max(1, Math.min(1000, limit)))
                .getResultList();
        List<Item> items = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            items.add(new Item(
                    ((Number) c[0]).longValue(),
                    (String) c[1],
                    ((String) c[2]).trim(),
                    (String) c[3],
                    (String) c[4],
                    time(c[5]),
                    time(c[6]),
                    (String) c[7],
                    (String) c[8]));
        }
        return items;
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

    private static LocalDateTime time(Object value) {
        return value == null ? null : value instanceof Timestamp t ? t.toLocalDateTime() : (LocalDateTime) value;
    }
}
