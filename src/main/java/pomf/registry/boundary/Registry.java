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
import pomf.registry.control.RegistrySql;
import pomf.registry.entity.BannedContentException;
import pomf.registry.entity.Incoming;
import pomf.registry.entity.Published;
import pomf.registry.entity.StoredFile;
import pomf.registry.entity.Upload;
import pomf.storage.control.BlobStore;

/**
 * The file registry in PostgreSQL: links and uploads through JPA, the statements JPA cannot say in one round trip
 * through {@link RegistrySql}. Callers hold the content hashes' locks ({@code HashLocks}) around every
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

    @Inject
    RegistrySql sql;

    /**
     * Publishes every file of one request in one transaction: each gets a link of its own (a new stored name), and
     * content not stored yet is moved to its blob address (added to {@code placed}); known content shares its blob.
     */
    public List<Published> publish(List<Incoming> incoming, List<String> placed) {
        List<Published> published = new ArrayList<>();
        LocalDateTime now = now();
        if (blobs.shared()) {
            sql.lockContents(incoming.stream().map(Incoming::sha256).toList());
        }
        for (Incoming in : incoming) {
            // The ban check and the dedup lookup in one round trip. A file banned after earlier files of this
            // request were placed fails the whole request: the caller moves placed blobs back.
            RegistrySql.Check check = sql.check(in.sha1(), in.sha256(), in.md5());
            if (check.banned()) {
                String list = sql.listing(in.sha1(), in.sha256(), in.md5());
                throw list == null
                        ? new BannedContentException(in.sha256(), "ban", "banned hashes")
                        : new BannedContentException(in.sha256(), "hash_list", list);
            }
            // Earlier files of this request are flushed, so they count as known too.
            boolean duplicate = check.known();
            if (!duplicate || !exists(in.sha256())) {
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

    /**
     * Quarantines every link of content whose SHA-256 or SHA-1 is {@code hash}, just banned: they stay, answered 451.
     *
     * @return the names of every link of that content, for the edges to drop
     */
    public List<String> quarantine(String hash) {
        return sql.quarantine(hash, now());
    }

    /**
     * After the ban of {@code hash} was lifted: the links of that content that no other ban covers serve again.
     *
     * @return their names, for the edges to forget they were taken down
     */
    public List<String> release(String hash) {
        return sql.release(hash, now());
    }

    /**
     * Quarantines links the ban list covers but that are not marked: an upload that passed its ban check just before
     * a ban committed and was published just after the ban marked the links. The janitor runs it every tick.
     *
     * @return the names it quarantined
     */
    public List<String> quarantineMissed() {
        LocalDateTime now = now();
        // Hash lists are large: only links published lately can have escaped an import (the race is seconds wide).
        return sql.quarantineMissed(now, now.minusHours(1));
    }

    /**
     * Links whose ban state changed after {@code since} (or at it, for names after {@code after}), oldest change
     * first: an edge's catch-up on takedowns, and their lifting, it may have missed.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RegistrySql.BanChange> banChangesSince(LocalDateTime since, String after, int limit) {
        return sql.banChangesSince(since, after, limit);
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
        return sql.countDownload(fileId, now());
    }

    /** Uploads whose link used up its downloads before {@code before}, oldest first. */
    public List<Upload> usedUp(LocalDateTime before, int limit) {
        return sql.usedUp(before, limit).stream()
                .map(id -> em.find(Upload.class, id))
                .filter(Objects::nonNull)
                .toList();
    }

    /** The addresses that uploaded these bytes (any link of them), for blocking an abuser's range. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> uploaderAddresses(String sha256) {
        return sql.uploaderAddresses(sha256);
    }

    /**
     * Removes the blob of bytes no link serves (the last one went, or a crash placed it without a row), in a
     * transaction of its own after the rows' one: with a bucket shared by several origins, under the content's
     * database lock, so an upload of the same bytes on another origin either committed its row before (the blob
     * stays) or places the blob again after.
     *
     * @return whether the blob was removed
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean removeBlobIfOrphan(String sha256) {
        if (blobs.shared()) {
            sql.lockContents(List.of(sha256));
        }
        if (knows(sha256)) {
            return false;
        }
        blobs.remove(sha256);
        return true;
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

    private boolean exists(String sha256) {
        try {
            return blobs.exists(sha256);
        } catch (IOException e) {
            throw new UncheckedIOException("looking for blob " + sha256, e);
        }
    }

    private void place(Incoming in, List<String> placed) {
        try {
            in.staged().place(in.sha256());
            placed.add(in.sha256());
        } catch (IOException e) {
            throw new UncheckedIOException("storing blob " + in.sha256(), e);
        }
    }
}
