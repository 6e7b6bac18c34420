package pomf.registry.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import pomf.names.control.FileNames;
import pomf.names.control.NameSettings;
import pomf.registry.entity.BannedContentException;
import pomf.registry.entity.Incoming;
import pomf.registry.entity.Published;
import pomf.registry.entity.StoredFile;
import pomf.registry.entity.Upload;
import pomf.storage.control.BlobStore;

/**
 * The file registry in PostgreSQL. Callers hold the content hashes' locks ({@code HashLocks}) around every
 * method that places or removes blobs, and undo placed blobs when the transaction fails. Every upload gets a link
 * (stored name) of its own; links of the same bytes share one blob. A stored name that is already taken (one chance in 10^13 per upload) fails the insert on its unique constraint; the caller retries.
 *
 * <p>A CDI bean with JTA transactions, not an enterprise bean: every upload and every origin file request calls it,
 * and the EJB container's invocation (its interceptor chain, security check, and an exception thrown and caught
 * inside Payara on each call) cost more than the queries. Every method joins the caller's transaction or runs in
 * its own, as the container-managed default did; a runtime exception rolls it back.
 */
@ApplicationScoped
@Transactional
public class Registry {
    @PersistenceContext
    EntityManager em;

    @Inject
    BlobStore blobs;

    @Inject
    NameSettings names;

    /**
     * Whether the bytes with SHA-1 {@code ?1}, SHA-256 {@code ?2} and MD5 {@code ?3} (the SHA-256 again when not
     * known) are banned or on a hash list: two index probes.
     */
    private static final String BANNED = "(exists (select 1 from banned_hash where hash in (?1, ?2))"
            + " or exists (select 1 from hash_list_entry where hash in (?1, ?2, ?3)))";

    /**
     * Publishes every file of one request in one transaction: each gets a link of its own (a new stored name), and
     * content not stored yet is moved to its blob address (added to {@code placed}); known content shares its blob.
     */
    public List<Published> publish(List<Incoming> incoming, List<String> placed) {
        List<Published> published = new ArrayList<>();
        LocalDateTime now = now();
        for (Incoming in : incoming) {
            // The ban check and the dedup lookup in one round trip. A file banned after earlier files of this
            // request were placed fails the whole request: the caller moves placed blobs back.
            Object[] row = (Object[])
                    em.createNativeQuery("select " + BANNED + ", exists (select 1 from stored_file where sha256 = ?2)")
                            .setParameter(1, in.sha1())
                            .setParameter(2, in.sha256())
                            .setParameter(3, in.md5() == null ? in.sha256() : in.md5())
                            .getSingleResult();
            if (Boolean.TRUE.equals(row[0])) {
                String list = listing(in.sha1(), in.sha256(), in.md5());
                throw list == null
                        ? new BannedContentException(in.sha256(), "ban", "banned hashes")
                        : new BannedContentException(in.sha256(), "hash_list", list);
            }
            // Earlier files of this request are flushed, so they count as known too.
            boolean duplicate = Boolean.TRUE.equals(row[1]);
            if (!duplicate || !blobs.exists(in.sha256())) {
                place(in, placed);
            }
            StoredFile file = new StoredFile(
                    FileNames.storedName(in.originalName(), names.nameLength()),
                    in.sha1(),
                    in.sha256(),
                    in.size(),
                    in.contentType(),
                    now);
            file.limitDownloads(in.maxDownloads());
            file.md5(in.md5());
            em.persist(file);
            em.persist(new Upload(
                    file, in.originalName(), in.deleteTokenHash(), in.uploaderAddress(), now, in.expiresAt()));
            em.flush();
            published.add(new Published(file.getName(), file.getSha1(), file.getSize(), in.expiresAt(), duplicate));
        }
        return published;
    }

    /**
     * The link of this name, if any. No transaction of its own (it joins the caller's): a file request's lookup,
     * the origin's most frequent call and a flood's target, costs one query and no transaction.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<StoredFile> byName(String name) {
        return em.createNamedQuery(StoredFile.BY_NAME, StoredFile.class)
                .setParameter("name", name)
                .getResultStream()
                .findFirst();
    }

    /** The hash list that lists these bytes (the first by name), or null when none does (a ban refused them). */
    private String listing(String sha1, String sha256, String md5) {
        List<?> names = em.createNativeQuery("select l.name from hash_list_entry e join hash_list l on l.id = e.list_id"
                        + " where e.hash in (?1, ?2, ?3) order by l.name limit 1")
                .setParameter(1, sha1)
                .setParameter(2, sha256)
                .setParameter(3, md5 == null ? sha256 : md5)
                .getResultList();
        return names.isEmpty() ? null : names.get(0).toString();
    }

    /**
     * Quarantines every link of content whose SHA-256 or SHA-1 is {@code hash}, just banned: they stay, answered 451.
     *
     * @return the names of every link of that content, for the edges to drop
     */
    public List<String> quarantine(String hash) {
        em.createNativeQuery("update stored_file set banned = true, banned_changed_at = ?2"
                        + " where (sha256 = ?1 or sha1 = ?1) and not banned")
                .setParameter(1, hash)
                .setParameter(2, now())
                .executeUpdate();
        return names("select name from stored_file where sha256 = ?1 or sha1 = ?1 order by name", hash);
    }

    /**
     * After the ban of {@code hash} was lifted: the links of that content that no other ban covers serve again.
     *
     * @return their names, for the edges to forget they were taken down
     */
    public List<String> release(String hash) {
        em.createNativeQuery("update stored_file f set banned = false, banned_changed_at = ?2"
                        + " where (f.sha256 = ?1 or f.sha1 = ?1) and f.banned"
                        + " and not exists (select 1 from banned_hash b where b.hash in (f.sha256, f.sha1))"
                        + " and not exists (select 1 from hash_list_entry e where e.hash in (f.sha256, f.sha1, f.md5))")
                .setParameter(1, hash)
                .setParameter(2, now())
                .executeUpdate();
        return names(
                "select name from stored_file where (sha256 = ?1 or sha1 = ?1) and not banned order by name", hash);
    }

    /**
     * Quarantines links the ban list covers but that are not marked: an upload that passed its ban check just before
     * a ban committed and was published just after the ban marked the links. The janitor runs it every tick.
     *
     * @return the names it quarantined
     */
    public List<String> quarantineMissed() {
        LocalDateTime now = now();
        List<String> names = new ArrayList<>();
        for (String column : List.of("sha256", "sha1")) {
            List<?> rows = em.createNativeQuery("update stored_file f set banned = true, banned_changed_at = ?1"
                            + " from banned_hash b where not f.banned and f." + column + " = b.hash returning f.name")
                    .setParameter(1, now)
                    .getResultList();
            rows.forEach(row -> names.add(row.toString()));
        }
        // Hash lists are large: only links published lately can have escaped an import (the race is seconds wide).
        LocalDateTime recent = now.minusHours(1);
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
     * first: an edge's catch-up on takedowns, and their lifting, it may have missed. Each row: name, banned, and the
     * change's time.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Object[]> banChangesSince(LocalDateTime since, String after, int limit) {
        List<?> rows = em.createNativeQuery("select name, banned, banned_changed_at from stored_file"
                        + " where banned_changed_at >= ?1 and (banned_changed_at, name) > (?1, ?2)"
                        + " order by banned_changed_at, name limit ?3")
                .setParameter(1, since)
                .setParameter(2, after)
                .setParameter(3, limit)
                .getResultList();
        List<Object[]> changes = new ArrayList<>(rows.size());
        rows.forEach(row -> changes.add((Object[]) row));
        return changes;
    }

    private List<String> names(String sql, String hash) {
        List<?> rows = em.createNativeQuery(sql).setParameter(1, hash).getResultList();
        List<String> names = new ArrayList<>(rows.size());
        rows.forEach(row -> names.add(row.toString()));
        return names;
    }

    /**
     * Gives the upload whose deletion token hashes to {@code tokenHash} a new expiry ({@code null}: none), when it
     * is still there.
     *
     * @return the upload as it is now, empty when it is gone
     */
    public Optional<Upload> changeExpiry(String tokenHash, LocalDateTime expiresAt) {
        Optional<Upload> upload = uploadByToken(tokenHash);
        upload.ifPresent(u -> u.expireAt(expiresAt));
        return upload;
    }

    public Optional<Upload> uploadByToken(String tokenHash) {
        return em.createNamedQuery(Upload.BY_TOKEN_HASH, Upload.class)
                .setParameter("hash", tokenHash)
                .getResultStream()
                .findFirst();
    }

    /**
     * Removes one upload; its link when no other upload holds it (one made before every upload had its own); the
     * bytes when no other link serves them.
     *
     * @return what went with it: the caller purges a gone link from the edges and deletes gone bytes' blob after
     *     the commit
     */
    public Removed removeUpload(long uploadId) {
        Upload upload = em.find(Upload.class, uploadId);
        if (upload == null) {
            return Removed.NOTHING;
        }
        StoredFile file = upload.getFile();
        em.remove(upload);
        em.flush();
        long others = em.createNamedQuery(Upload.COUNT_FOR_FILE, Long.class)
                .setParameter("file", file)
                .getSingleResult();
        if (others > 0) {
            return Removed.UPLOAD;
        }
        em.remove(file);
        em.flush();
        return knows(file.getSha256()) ? Removed.LINK : Removed.LINK_AND_BYTES;
    }

    /** What removing an upload took with it. */
    public enum Removed {
        /** The upload was gone already. */
        NOTHING,
        /** The upload only: another upload still holds its link. */
        UPLOAD,
        /** The upload and its link; other links still serve the bytes. */
        LINK,
        /** The upload, its link and the bytes (no link served them any more). */
        LINK_AND_BYTES;

        public boolean linkGone() {
            return this == LINK || this == LINK_AND_BYTES;
        }
    }

    public List<Upload> expired(int limit) {
        return em.createNamedQuery(Upload.EXPIRED, Upload.class)
                .setParameter("now", now())
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * Counts one download of a link with a download limit, in the statement that allows it: false when its
     * downloads are used up (then nothing is counted). The download that uses the last one notes when, for the
     * janitor ({@link #usedUp}).
     */
    public boolean countDownload(long fileId) {
        return em.createNativeQuery("update stored_file set downloads = downloads + 1, downloads_used_up_at ="
                                + " case when downloads + 1 >= max_downloads then ?2 else downloads_used_up_at end"
                                + " where id = ?1 and downloads < max_downloads")
                        .setParameter(1, fileId)
                        .setParameter(2, now())
                        .executeUpdate()
                == 1;
    }

    /** Uploads whose link used up its downloads before {@code before}, oldest first. */
    public List<Upload> usedUp(LocalDateTime before, int limit) {
        List<?> ids = em.createNativeQuery("select u.id from upload u join stored_file f on f.id = u.file_id"
                        + " where f.downloads_used_up_at <= ?1 order by f.downloads_used_up_at limit ?2")
                .setParameter(1, before)
                .setParameter(2, limit)
                .getResultList();
        return ids.stream()
                .map(id -> em.find(Upload.class, ((Number) id).longValue()))
                .filter(Objects::nonNull)
                .toList();
    }

    /** The addresses that uploaded these bytes (any link of them), for blocking an abuser's range. */
    @Transactional(Transactional.TxType.SUPPORTS)
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

    /** Whether any link serves these bytes. */
    public boolean knows(String sha256) {
        return em.createNamedQuery(StoredFile.COUNT_BY_SHA256, Long.class)
                        .setParameter("sha256", sha256)
                        .getSingleResult()
                > 0;
    }

    public static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }

    private void place(Incoming in, List<String> placed) {
        try {
            blobs.place(in.temp(), in.sha256());
            placed.add(in.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("storing blob " + in.sha256(), e);
        }
    }
}
