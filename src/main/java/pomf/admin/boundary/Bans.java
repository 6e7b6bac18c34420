package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import pomf.registry.boundary.Registry;
import pomf.registry.entity.BannedHash;

/** Adds and lifts bans of content hashes ({@code banned_hash}), which the upload path checks on publication. */
@Stateless
public class Bans {
    @PersistenceContext
    EntityManager em;

    /** @return false when the hash was banned already (its first reason stays) */
    public boolean add(String hash, String reason) {
        if (em.find(BannedHash.class, hash) != null) {
            return false;
        }
        em.persist(new BannedHash(hash, reason, Registry.now()));
        return true;
    }

    /** @return false when the hash was not banned */
    public boolean lift(String hash) {
        BannedHash ban = em.find(BannedHash.class, hash);
        if (ban == null) {
            return false;
        }
        em.remove(ban);
        return true;
    }
}
