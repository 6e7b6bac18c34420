package pomf.dns.boundary;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.dns.control.DnsSql;

/**
 * Brings DNS in line with the database: every due change (pending, or applied but not yet seen in DNS) is applied at
 * the provider and confirmed by reading the record back, each in its own transaction so one stuck change does not
 * hold the others. Runs after every witness tick, on whichever witness; row locks keep two from applying the same
 * change.
 */
@Stateless
public class DnsSync {
    private static final Logger LOG = Logger.getLogger(DnsSync.class.getName());

    @Inject
    DnsChangeApplier applier;

    @Inject
    DnsSql sql;

    /** Applies every due change, each in its own transaction. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void run() {
        List<Long> due;
        try {
            due = sql.dueChanges();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the pending DNS changes", e);
            return;
        }
        for (long id : due) {
            try {
                applier.apply(id);
            } catch (RuntimeException e) { // one stuck change does not hold the others: it is tried again next tick
                LOG.log(Level.WARNING, "DNS change " + id + " could not be applied", e);
            }
        }
    }
}
