package pomf.registry.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Every native statement of the registry, where JPA's entities ({@code StoredFile}, {@code Upload}) would cost
 * more round trips or cannot say it: the ban check joined with the dedup lookup, takedowns by hash, the download
 * count that allows and counts in one statement, the takedown feed.
 *
 * <p>Writes {@code stored_file} (its {@code banned}, {@code banned_changed_at}, {@code downloads} and
 * {@code downloads_used_up_at} columns); rows of {@code stored_file} and {@code upload} are inserted and deleted
 * through JPA in {@code Registry}. Reads {@code stored_file}, {@code upload}, {@code banned_hash},
 * {@code hash_list_entry} and {@code hash_list}. Opens no transaction: each statement runs in its caller's.
 */
@ApplicationScoped
public class RegistrySql {
    @PersistenceContext
    EntityManager em;

    /**
     * Whether the bytes with SHA-1 {@code ?1}, SHA-256 {@code ?2} and MD5 {@code ?3} (the SHA-256 again when not
     * known) are banned or on a hash list: two index probes.
     */
    private static final String BANNED = "(exists (select 1 from banned_hash where hash in (?1, ?2))"
            + " or exists (select 1 from hash_list_entry where hash in (?1, ?2, ?3)))";

    /** What the upload check found about one content: refused by a ban or a list, stored already. */
    public record Check(boolean banned, boolean known) {}

    /** One link whose ban state changed: its name, whether it is taken down now, and when that changed. */
    public record BanChange(String name, boolean takenDown, LocalDateTime at) {}

    /**
     * Holds the lock of each content until the transaction ends: origins sharing one bucket place, reference and
     * remove a blob one at a time ({@code HashLocks} covers the threads of one origin). The key is the SHA-256's first
     * 60 bits; locks are taken in one order, so two transactions never wait for each other in a circle. One round
     * trip per content.
     */
    public void lockContents(Collection<String> sha256s) {
        long[] keys = sha256s.stream()
                .mapToLong(sha256 -> Long.parseLong(sha256.substring(0, 15), 16))
                .distinct()
                .sorted()
                .toArray();
        for (long key : keys) {
            em.createNativeQuery("select pg_advisory_xact_lock(?1)")
                    .setParameter(1, key)
                    .getSingleResult();
        }
    }

    /**
     * The upload check in one round trip: whether a ban or a hash list covers these bytes ({@code md5} may be null),
     * and whether a link of them is stored already.
     */
    public Check check(String sha1, String sha256, String md5) {
        Object[] row = (Object[])
                em.createNativeQuery("select " + BANNED + ", exists (select 1 from stored_file where sha256 = ?2)")
                        .setParameter(1, sha1)
                        .setParameter(2, sha256)
                        .setParameter(3, md5 == null ? sha256 : md5)
                        .getSingleResult();
        return new Check(Boolean.TRUE.equals(row[0]), Boolean.TRUE.equals(row[1]));
    }

    /** The hash list that lists these bytes (the first by name), or null when none does (a ban refused them). */
    public String listing(String sha1, String sha256, String md5) {
        List<?> names = em.createNativeQuery("select l.name from hash_list_entry e join hash_list l on l.id = e.list_id"
                        + " where e.hash in (?1, ?2, ?3) order by l.name limit 1")
                .setParameter(1, sha1)
                .setParameter(2, sha256)
                .setParameter(3, md5 == null ? sha256 : md5)
                .getResultList();
        return names.isEmpty() ? null : names.get(0).toString();
    }

    /** Marks every link of the content whose SHA-256 or SHA-1 is {@code hash} taken down; returns all their names. */
    public List<String> quarantine(String hash, LocalDateTime now) {
        em.createNativeQuery("update stored_file set banned = true, banned_changed_at = ?2"
                        + " where (sha256 = ?1 or sha1 = ?1) and not banned")
                .setParameter(1, hash)
                .setParameter(2, now)
                .executeUpdate();
        return names("select name from stored_file where sha256 = ?1 or sha1 = ?1 order by name", hash);
    }

    /**
     * Serves again the links of the content {@code hash} that no ban or list covers any more; returns the names of
     * the links of that content that serve.
     */
    public List<String> release(String hash, LocalDateTime now) {
        em.createNativeQuery("update stored_file f set banned = false, banned_changed_at = ?2"
                        + " where (f.sha256 = ?1 or f.sha1 = ?1) and f.banned"
                        + " and not exists (select 1 from banned_hash b where b.hash in (f.sha256, f.sha1))"
                        + " and not exists (select 1 from hash_list_entry e where e.hash in (f.sha256, f.sha1, f.md5))")
                .setParameter(1, hash)
                .setParameter(2, now)
                .executeUpdate();
        return names(
                "select name from stored_file where (sha256 = ?1 or sha1 = ?1) and not banned order by name", hash);
    }

    /**
     * Takes down links the ban list covers but that are not marked, and links published after {@code recent} that a
     * hash list covers; returns their names.
     */
    public List<String> quarantineMissed(LocalDateTime now, LocalDateTime recent) {
        List<String> names = new ArrayList<>();
        for (String column : List.of("sha256", "sha1")) {
            List<?> rows = em.createNativeQuery("update stored_file f set banned = true, banned_changed_at = ?1"
                            + " from banned_hash b where not f.banned and f." + column + " = b.hash returning f.name")
                    .setParameter(1, now)
                    .getResultList();
            rows.forEach(row -> names.add(row.toString()));
        }
        for (String column : List.of("sha256", "sha1", "md5")) {
            List<?> rows = em.createNativeQuery("update stored_file f set banned = true, banned_changed_at = ?1"
                            + " from hash_list_entry e where not f.banned and f.created_at > ?2 and f." + column
                            + " = e.hash returning f.name")
                    .setParameter(1, now)
                    .setParameter(2, recent)
                    .getResultList();
            rows.forEach(row -> names.add(row.toString()));
        }
        return names;
    }

    /**
     * Links whose ban state changed after {@code since} (or at it, for names after {@code after}), oldest change
     * first, at most {@code limit}.
     */
    public List<BanChange> banChangesSince(LocalDateTime since, String after, int limit) {
        List<?> rows = em.createNativeQuery("select name, banned, banned_changed_at from stored_file"
                        + " where banned_changed_at >= ?1 and (banned_changed_at, name) > (?1, ?2)"
                        + " order by banned_changed_at, name limit ?3")
                .setParameter(1, since)
                .setParameter(2, after)
                .setParameter(3, limit)
                .getResultList();
        List<BanChange> changes = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] c = (Object[]) row;
            changes.add(new BanChange(c[0].toString(), Boolean.TRUE.equals(c[1]), time(c[2])));
        }
        return changes;
    }

    /**
     * Counts one download of a link with a download limit, in the statement that allows it: false when its
     * downloads are used up (then nothing is counted). The download that uses the last one notes {@code now}.
     */
    public boolean countDownload(long fileId, LocalDateTime now) {
        return em.createNativeQuery("update stored_file set downloads = downloads + 1, downloads_used_up_at ="
                                + " case when downloads + 1 >= max_downloads then ?2 else downloads_used_up_at end"
                                + " where id = ?1 and downloads < max_downloads")
                        .setParameter(1, fileId)
                        .setParameter(2, now)
                        .executeUpdate()
                == 1;
    }

    /** Ids of the uploads whose link used up its downloads before {@code before}, oldest first. */
    public List<Long> usedUp(LocalDateTime before, int limit) {
        List<?> ids = em.createNativeQuery("select u.id from upload u join stored_file f on f.id = u.file_id"
                        + " where f.downloads_used_up_at <= ?1 order by f.downloads_used_up_at limit ?2")
                .setParameter(1, before)
                .setParameter(2, limit)
                .getResultList();
        return ids.stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** The addresses that uploaded these bytes (any link of them). */
    public List<String> uploaderAddresses(String sha256) {
        List<?> rows = em.createNativeQuery(
                        "select distinct u.uploader_address from upload u"
                                + " join stored_file f on f.id = u.file_id where f.sha256 = ?1 and u.uploader_address is not null")
                .setParameter(1, sha256)
                .getResultList();
        List<String> addresses = new ArrayList<>(rows.size());
        rows.forEach(row -> addresses.add(row.toString()));
        return addresses;
    }

    private List<String> names(String sql, String hash) {
        List<?> rows = em.createNativeQuery(sql).setParameter(1, hash).getResultList();
        List<String> names = new ArrayList<>(rows.size());
        rows.forEach(row -> names.add(row.toString()));
        return names;
    }

    private static LocalDateTime time(Object value) {
        return value instanceof Timestamp t ? t.toLocalDateTime() : (LocalDateTime) value;
    }
}
