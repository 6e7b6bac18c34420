package pomf.hashlists.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import pomf.hashlists.control.HashListSql;
import pomf.hashlists.control.HashListSql.Imported;
import pomf.hashlists.control.HashListSql.ListView;
import pomf.hashlists.control.HashListSql.Removed;
import pomf.hashlists.control.HashListSql.Unhashed;
import pomf.registry.boundary.Registry;

/**
 * Hash lists in PostgreSQL: an import replaces a list's hashes with the ones sent (streamed into the database with
 * {@code COPY}, a million in seconds), quarantines the stored links that match and queues them for review; removing
 * hashes (a new version of a list, or the whole list) releases the links nothing else bans. One transaction each;
 * the statements are {@link HashListSql}'s. An upload's check is part of {@link Registry#publish}: the entries'
 * primary key is its index.
 */
@ApplicationScoped
@Transactional
public class HashLists {
    @Inject
    HashListSql sql;

    /**
     * Creates list {@code name}, or replaces its hashes, with those in {@code body}.
     *
     * @return what changed; the caller tells the edges about the quarantined and released links
     */
    public Imported replace(String name, String reason, String actor, InputStream body) {
        return sql.replace(name, reason, actor, body, Registry.now());
    }

    /** Removes list {@code name}; empty when there is none. */
    public Optional<Removed> remove(String name) {
        return sql.remove(name, Registry.now());
    }

    /**
     * Notes the MD5 of the bytes with SHA-256 {@code sha256} on every link of them that had none, and quarantines
     * those that a list's MD5 entry matches (queued for review as an import's matches are).
     *
     * @return the links quarantined now; the caller tells the edges
     */
    public List<String> hashedMd5(String sha256, String md5) {
        return sql.hashedMd5(sha256, md5, Registry.now());
    }

    /** Up to {@code limit} links after id {@code after}, in id order, whose MD5 is not known. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Unhashed> withoutMd5(long after, int limit) {
        return sql.withoutMd5(after, limit);
    }

    /** Every list, by name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ListView> all() {
        return sql.all();
    }
}
