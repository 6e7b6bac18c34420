package pomf.review.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pomf.registry.boundary.Registry;
import pomf.review.control.ReviewSql;
import pomf.review.entity.ReviewItem;
import pomf.review.entity.ReviewOrder;

/**
 * The review queue: links that need an admin's look. Hash lists put their stored matches here (quarantined already);
 * the public's reports land here too ({@code /report}). An admin sees it newest first, most reported first, or by
 * reason, marks an item reviewed, or takes the content down (which closes every open item of it); a hash list's
 * removal closes its items by itself. Its statements are {@link ReviewSql}'s.
 */
@ApplicationScoped
@Transactional
public class ReviewQueue {
    /** What the public may report a file for; hash-list matches are {@code hash_list}. */
    public static final Set<String> CATEGORIES =
            Set.of("illegal", "child_abuse", "copyright", "malware", "harassment", "spam", "other");

    @Inject
    ReviewSql sql;

    /** A report from the public about the link {@code storedName}. */
    public long report(
            String storedName, String sha256, String category, String details, String contact, String address) {
        return sql.addReport(storedName, sha256, category, details, contact, address, Registry.now());
    }

    /** Open items (or all), in {@code order}, of {@code category} when not null, up to {@code limit}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReviewItem> items(boolean openOnly, ReviewOrder order, String category, int limit) {
        return sql.items(openOnly, order, category, limit);
    }

    /** Open items, newest first (the moderation page's default). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ReviewItem> items(boolean openOnly, int limit) {
        return items(openOnly, ReviewOrder.NEWEST, null, limit);
    }

    /** The item {@code id}, open or closed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ReviewItem> item(long id) {
        return sql.item(id);
    }

    /** Open items in all. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long openCount() {
        return sql.openCount();
    }

    /** Closes an open item; false when there is no such open item. */
    public boolean resolve(long id, String by, String resolution) {
        return sql.resolve(id, Registry.now(), by, resolution);
    }

    /** Closes every open item of the content {@code sha256} (all its links); returns how many. */
    public int resolveContent(String sha256, String by, String resolution) {
        return sql.resolveContent(sha256, Registry.now(), by, resolution);
    }
}
