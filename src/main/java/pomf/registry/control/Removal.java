package pomf.registry.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import pomf.edge.control.EdgePurger;
import pomf.registry.boundary.Registry;
import pomf.registry.entity.Upload;
import pomf.storage.control.BlobStore;
import pomf.storage.control.HashLocks;

/**
 * Removes an upload (deletion link, expiry) and, with its last upload, the stored file and its blob: row first,
 * blob after the commit, both under the hash's lock so a concurrent upload of the same bytes cannot lose its blob.
 */
@ApplicationScoped
public class Removal {
    private static final Logger LOG = Logger.getLogger(Removal.class.getName());

    @Inject
    Registry registry;

    @Inject
    BlobStore blobs;

    @Inject
    HashLocks locks;

    @Inject
    EdgePurger edges;

    /** @return true when the stored file itself went away (no other upload claimed it) */
    public boolean remove(Upload upload, String why) {
        String sha256 = upload.getFile().getSha256();
        String name = upload.getFile().getName();
        try (HashLocks.Held held = locks.lock(sha256)) {
            Optional<String> gone = registry.removeUpload(upload.getId());
            gone.ifPresent(blobs::remove);
            if (gone.isPresent()) {
                edges.purge(name);
            }
            LOG.info(() -> "upload " + upload.getId() + " of " + name + " removed (" + why + ")"
                    + (gone.isPresent() ? "; file deleted" : "; file kept for its other uploads"));
            return gone.isPresent();
        }
    }

    /** Deletes a blob that no row references (a crash between placing and committing). */
    public boolean removeIfOrphan(String sha256) {
        try (HashLocks.Held held = locks.lock(sha256)) {
            if (registry.knows(sha256)) {
                return false;
            }
            blobs.remove(sha256);
            return true;
        }
    }
}
