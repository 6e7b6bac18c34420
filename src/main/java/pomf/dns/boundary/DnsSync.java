package pomf.dns.boundary;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings DNS in line with the database: every due change (pending, or applied but not yet seen in DNS) is applied at
 * the provider and confirmed by reading the record back, each in its own transaction so one stuck change does not
 * hold the others. Runs after every witness tick, on whichever witness; row locks keep two from applying the same
 * change.
 */
@Stateless
public class DnsSync {
    private static final Logger LOG = Logger.getLogger(DnsSync.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    DnsChangeApplier applier;

    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void run() {
        List<?> due;
        try {
            due = em.createNativeQuery("select id from dns_change where state in ('pending', 'applied')"
                            + " and next_attempt_at <= now() order by id limit 50")
                    .getResultList();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the pending DNS changes", e);
            return;
        }
        for (Object id : due) {
            applier.apply(((Number) id).longValue());
        }
    }
}
