package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import pomf.admin.entity.Actor;

/** The audit trail ({@code admin_action}): one row per state-changing administrative action, who, from where. */
@Stateless
public class AuditLog {
    @PersistenceContext
    EntityManager em;

    public void record(String actor, String address, String action, String target, String detail) {
        em.createNativeQuery("insert into admin_action (actor, address, action, target, detail) values (?, ?, ?, ?, ?)")
                .setParameter(1, actor)
                .setParameter(2, address == null ? "" : address)
                .setParameter(3, action)
                .setParameter(4, target == null ? "" : target)
                .setParameter(5, detail == null ? "" : detail)
                .executeUpdate();
    }

    public void record(Actor actor, String action, String target, String detail) {
        record(actor.name(), actor.address(), action, target, detail);
    }
}
