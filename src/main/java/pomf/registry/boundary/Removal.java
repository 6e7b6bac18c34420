package pomf.registry.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import pomf.registry.control.EdgePurger;
import pomf.registry.entity.Upload;
import pomf.storage.control.HashLocks;

/**
 * Removes an upload (deletion link, expiry), its link with it (purged from the edges), and, with the last link of
 * the same bytes, their blob: rows first, blob after the commit (checked again then), both under the hash's lock so
 * a concurrent upload of the same bytes cannot lose its blob; with a bucket shared by several origins, the database's
 * lock of the content as well ({@link Registry#removeBlobIfOrphan}).
 */
@ApplicationScoped
public class Removal {
    private static final Logger LOG = Logger.getLogger(Removal.class.getName());

    @Inject
    Registry registry;

    @Inject
    HashLocks locks;

    @Inject
    EdgePurger edges;

    /** @return true when the upload's link went away (no other upload held it) */
    public boolean remove(Upload upload, String why) {
        String sha256 = upload.getFile().getSha256();
        String name = upload.getFile().getName();
        try (HashLocks.Held held = locks.lock(sha256)) {
            Registry.Removed removed = registry.removeUpload(upload.getId());
            if (removed == Registry.Removed.LINK_AND_BYTES) {
                registry.removeBlobIfOrphan(sha256);
            }
            if (removed.linkGone()) {
                edges.purge(name);
            }
            LOG.info(() -> "upload " + upload.getId() + " of " + name + " removed (" + why + "): "
                    + switch (removed) {
                        case NOTHING -> "it was gone already";
                        case UPLOAD -> "link kept for its other uploads";
                        case LINK -> "link deleted, bytes kept for their other links";
                        case LINK_AND_BYTES -> "link and bytes deleted";
                    });
            return removed.linkGone();
        }
    }

    /** Deletes a blob that no row references (a crash between placing and committing). */
    public boolean removeIfOrphan(String sha256) {
        try (HashLocks.Held held = locks.lock(sha256)) {
            return registry.removeBlobIfOrphan(sha256);
        }
    }
}
