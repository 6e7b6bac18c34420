package pomf.dns.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/**
 * Every native statement of the DNS sync: which changes are due, taking one (row lock), and recording how applying
 * it went. All run in the caller's transaction (none opens its own).
 *
 * <p>Writes {@code dns_change} (state, attempts, next attempt, last error, confirmation); reads {@code dns_change}.
 * The witness queues the changes ({@code pomf.witness.control.WitnessSql}).
 */
@ApplicationScoped
public class DnsSql {

    @PersistenceContext
    EntityManager em;

    /** An open change taken by {@link #takeChange}: add or remove {@code address} in {@code record}. */
    public record OpenChange(String record, String address, boolean add, int attempts) {}

    /** The ids of up to 50 open changes (pending, or applied but not yet seen) whose next attempt is due. */
    public List<Long> dueChanges() {
        List<?> due = em.createNativeQuery("select id from dns_change where state in ('pending', 'applied')"
                        + " and next_attempt_at <= now() order by id limit 50")
                .getResultList();
        return due.stream().map(id -> ((Number) id).longValue()).toList();
    }

    /**
     * Locks the change {@code id} for the rest of the transaction if it is still open; empty when another witness
     * holds it or it was superseded meanwhile.
     */
    public Optional<OpenChange> takeChange(long id) {
        List<?> rows = em.createNativeQuery("select record, address, action, attempts from dns_change where id = ?1"
                        + " and state in ('pending', 'applied') for update skip locked")
                .setParameter(1, id)
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        return Optional.of(
                new OpenChange((String) row[0], (String) row[1], "add".equals(row[2]), ((Number) row[3]).intValue()));
    }

    /**
     * Records an attempt at the change: its new state, its attempts so far, when to try next, and the error (the
     * first 1000 characters; empty when none). A confirmed change gets its confirmation time.
     */
    public void updateChange(long id, String state, int attempts, int waitSeconds, String error) {
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
