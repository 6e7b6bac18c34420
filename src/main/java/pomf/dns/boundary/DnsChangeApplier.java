package pomf.dns.boundary;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import pomf.dns.control.DnsException;
import pomf.dns.control.DnsProvider;
import pomf.dns.control.DnsProviders;
import pomf.dns.control.DnsSql;

/**
 * Applies one DNS change and confirms it by reading the record back. Failures are retried with exponential backoff
 * (2 s doubling to 5 min); a failure the operator must fix (a wrong key, a refused IP) waits 5 min and says why in
 * the change's last_error, which the admin shows.
 */
@Stateless
public class DnsChangeApplier {
    private static final Logger LOG = Logger.getLogger(DnsChangeApplier.class.getName());
    private static final int MAX_BACKOFF_SECONDS = 300;

    @Inject
    DnsProviders providers;

    @Inject
    DnsSql sql;

    /** Applies the change {@code id}, in a transaction of its own, unless another witness has it or it is closed. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void apply(long id) {
        Optional<DnsSql.OpenChange> change = sql.takeChange(id);
        if (change.isEmpty()) {
            return; // another witness has it, or it was superseded meanwhile
        }
        String record = change.get().record();
        String address = change.get().address();
        boolean add = change.get().add();
        int attempts = change.get().attempts() + 1;
        DnsProvider provider;
        try {
            provider = providers.provider();
        } catch (RuntimeException e) { // a setting the operator must fix: said in last_error, which the admin shows
            sql.updateChange(id, "pending", attempts, MAX_BACKOFF_SECONDS, String.valueOf(e.getMessage()));
            LOG.warning(() -> "DNS change " + id + " cannot be applied: " + e.getMessage());
            return;
        }
        try {
            if (add) {
                provider.add(record, address);
            } else {
                provider.remove(record, address);
            }
            Set<String> now = provider.addresses(record);
            if (now.contains(address) == add) {
                sql.updateChange(id, "confirmed", attempts, 0, "");
                LOG.info(() -> "DNS (" + provider.name() + "): " + (add ? "added " : "removed ") + address
                        + (add ? " to " : " from ") + record + ", confirmed; the record now holds " + now);
            } else {
                sql.updateChange(
                        id,
                        "applied",
                        attempts,
                        backoff(attempts),
                        "applied, but reading back " + record + " gave " + now);
            }
        } catch (DnsException e) {
            int wait = e.retryable() ? backoff(attempts) : MAX_BACKOFF_SECONDS;
            sql.updateChange(id, "pending", attempts, wait, e.getMessage());
            LOG.warning(() -> "DNS (" + provider.name() + ") " + (add ? "add " : "remove ") + address + " " + record
                    + " failed (attempt " + attempts + ", next in " + wait + " s): " + e.getMessage());
        } catch (RuntimeException e) {
            sql.updateChange(id, "pending", attempts, MAX_BACKOFF_SECONDS, String.valueOf(e.getMessage()));
            LOG.warning(() -> "DNS change " + id + " cannot be applied: " + e);
        }
    }

    static int backoff(int attempts) {
        return (int) Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(20, attempts));
    }
}
