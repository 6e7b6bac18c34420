package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.access.boundary.AuditLog;
import pomf.access.entity.Actor;
import pomf.admin.entity.Outcome;
import pomf.registry.boundary.Removal;
import pomf.registry.boundary.Takedowns;
import pomf.registry.entity.StoredFile;
import pomf.registry.entity.Upload;
import pomf.untrusted.control.UntrustedText;

/**
 * What an admin does to files: delete a link (every upload holding it, through the same {@link Removal} as a deletion
 * link, so the blob goes after the row's commit and the edges are purged), ban the content (and by default delete
 * every link of it), unban,
 * and the same for a list of names, item by item. Runs outside a transaction on purpose: each step (ban, each
 * upload's removal, the audit row) commits on its own, as {@link Removal} requires for blob-after-commit.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FileActions {
    public static final int MAX_BULK = 500;
    private static final Logger LOG = Logger.getLogger(FileActions.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    Removal removal;

    @Inject
    Bans bans;

    @Inject
    Takedowns takedowns;

    @Inject
    AuditLog audit;

    public Outcome delete(String name, Actor actor) {
        Outcome outcome = remove(name, actor);
        if (outcome.found()) {
            audit.record(actor, "file.delete", name, outcome.result());
        }
        return outcome;
    }

    /**
     * Bans the file's SHA-256, which takes down every link of those bytes (451 at the origin and the edges), and with
     * {@code alsoDelete} deletes them too; the ban comes first, so no upload of the same bytes slips in between.
     */
    public Outcome ban(String name, String reason, boolean alsoDelete, Actor actor) {
        StoredFile file = file(name);
        if (file == null) {
            return new Outcome(name, "not_found", "no stored file of that name");
        }
        boolean[] added = {false};
        List<String> links = takedowns.takeDown(file.getSha256(), () -> added[0] = bans.add(file.getSha256(), reason));
        String detail = file.getSha256() + (added[0] ? "" : " (banned already)") + ": " + reason + "; " + links.size()
                + " link(s) answer 451";
        if (alsoDelete) {
            detail += "; " + removeBytes(file.getSha256(), actor);
        }
        audit.record(actor, "file.ban", name, detail);
        return new Outcome(name, "banned", detail);
    }

    /**
     * As {@link #ban}, for content known by a link that may be gone already (a reported file deleted meanwhile): the
     * bytes are banned by their SHA-256 all the same, so they cannot come back.
     */
    public Outcome banContent(String name, String sha256, String reason, boolean alsoDelete, Actor actor) {
        if (file(name) != null) {
            return ban(name, reason, alsoDelete, actor);
        }
        boolean[] added = {false};
        List<String> links = takedowns.takeDown(sha256, () -> added[0] = bans.add(sha256, reason));
        String detail = sha256 + (added[0] ? "" : " (banned already)") + ": " + reason + "; " + links.size()
                + " link(s) answer 451";
        if (alsoDelete) {
            detail += "; " + removeBytes(sha256, actor);
        }
        audit.record(actor, "file.ban", sha256, detail);
        return new Outcome(sha256, "banned", detail);
    }

    public Outcome unban(String hash, Actor actor) {
        if (!bans.lift(hash)) {
            return new Outcome(hash, "not_found", "this hash is not banned");
        }
        List<String> restored = takedowns.restore(hash);
        String detail = restored.size() + " link(s) serve again";
        audit.record(actor, "hash.unban", hash, detail);
        return new Outcome(hash, "unbanned", detail);
    }

    /** Deletes or bans each name in turn; a name that fails is reported and the others go on. */
    public List<Outcome> bulk(List<String> names, boolean ban, String reason, boolean alsoDelete, Actor actor) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String name : names) {
            try {
                outcomes.add(ban ? ban(name, reason, alsoDelete, actor) : delete(name, actor));
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "bulk " + (ban ? "ban" : "delete") + " of " + UntrustedText.neutral(name) + " failed",
                        e);
                outcomes.add(new Outcome(name, "error", "failed on the server; see its log"));
            }
        }
        return outcomes;
    }

    private Outcome remove(String name, Actor actor) {
        List<Upload> uploads = em.createQuery(
                        "select u from Upload u join fetch u.file f where f.name = :name order by u.id", Upload.class)
                .setParameter("name", name)
                .getResultList();
        if (uploads.isEmpty()) {
            return new Outcome(name, "not_found", "no stored file of that name");
        }
        boolean gone = false;
        for (Upload upload : uploads) {
            gone |= removal.remove(upload, "deleted by admin " + actor.name());
        }
        return gone
                ? new Outcome(name, "deleted", uploads.size() + " upload(s) removed")
                : new Outcome(name, "not_found", "deleted meanwhile by another request");
    }

    /** Deletes every link of these bytes (each upload has its own), so a ban ends them all. */
    private String removeBytes(String sha256, Actor actor) {
        List<Upload> uploads = em.createQuery(
                        "select u from Upload u join fetch u.file f where f.sha256 = :sha256 order by u.id",
                        Upload.class)
                .setParameter("sha256", sha256)
                .getResultList();
        long links = 0;
        for (Upload upload : uploads) {
            if (removal.remove(upload, "banned by admin " + actor.name())) {
                links++;
            }
        }
        return "deleted (" + links + " link(s), " + uploads.size() + " upload(s))";
    }

    private StoredFile file(String name) {
        return em.createNamedQuery(StoredFile.BY_NAME, StoredFile.class)
                .setParameter("name", name)
                .getResultStream()
                .findFirst()
                .orElse(null);
    }
}
