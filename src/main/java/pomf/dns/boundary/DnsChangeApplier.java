package pomf.dns.boundary;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import pomf.dns.control.DnsException;
import pomf.dns.control.DnsProvider;
import pomf.dns.control.DnsProviders;

/**
 * Applies one DNS change and confirms it by reading the record back. Failures are retried with exponential backoff
 * (2 s doubling to 5 min); a failure the operator must fix (a wrong key, a refused IP) waits 5 min and says why in
 * the change's last_error, which the admin shows.
 */
@Stateless
public class DnsChangeApplier {
    private static final Logger LOG = Logger.getLogger(DnsChangeApplier.class.getName());
    private static final int MAX_BACKOFF_SECONDS = 300;

    @PersistenceContext
    EntityManager em;

    @Inject
    DnsProviders providers;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void apply(long id) {
        List<?> rows = em.createNativeQuery("select record, address, action, attempts from dns_change where id = ?1"
                        + " and state in ('pending', 'applied') for update skip locked")
                .setParameter(1, id)
                .getResultList();
        if (rows.isEmpty()) {
            return; // another witness has it, or it was superseded meanwhile
        }
        Object[] row = (Object[]) rows.get(0);
        String record = (String) row[0];
        String address = (String) row[1];
        boolean add = "add".equals(row[2]);
        int attempts = ((Number) row[3]).intValue() + 1;
        DnsProvider provider = providers.provider();
        try {
            if (add) {
                provider.add(record, address);
            } else {
                provider.remove(record, address);
            }
            Set<String> now = provider.addresses(record);
            if (now.contains(address) == add) {
                update(id, "confirmed", attempts, 0, "");
                LOG.info(() -> "DNS (" + provider.name() + "): " + (add ? "added " : "removed ") + address
                        + (add ? " to " : " from ") + record + ", confirmed; the record now holds " + now);
            } else {
                update(
                        id,
                        "applied",
                        attempts,
                        backoff(attempts),
                        "applied, but reading back " + record + " gave " + now);
            }
        } catch (DnsException e) {
            int wait = e.retryable() ? backoff(attempts) : MAX_BACKOFF_SECONDS;
            update(id, "pending", attempts, wait, e.getMessage());
            LOG.warning(() -> "DNS (" + provider.name() + ") " + (add ? "add " : "remove ") + address + " " + record
                    + " failed (attempt " + attempts + ", next in " + wait + " s): " + e.getMessage());
        } catch (RuntimeException e) {
            update(id, "pending", attempts, MAX_BACKOFF_SECONDS, String.valueOf(e.getMessage()));
            LOG.warning(() -> "DNS change " + id + " cannot be applied: " + e);
        }
    }

    static int backoff(int attempts) {
        return (int) Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(20, attempts));
    }

    private void update(long id, String state, int attempts, int waitSeconds, String error) {
        em.createNativeQuery("update dns_change set state = ?2, attempts = ?3,"
                        + " next_attempt_at = now() + make_interval(secs => ?4), last_error = ?5,"
                        + " confirmed_at = case when ?2 = 'confirmed' then now() end where id = ?1")
                .setParameter(1, id)
                .setParameter(2, state)
                .setParameter(3, attempts)
                .setParameter(4, (double) waitSeconds)
                .setParameter(5, error == null ? "" : error.length() > 1000 ? error.substring(0, 1000) : error)
                .executeUpdate();
    }
}
