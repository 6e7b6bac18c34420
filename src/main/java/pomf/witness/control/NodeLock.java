package pomf.witness.control;

import jakarta.persistence.EntityManager;

/**
 * The one lock every change of the node table takes, witnesses' decisions and admins' actions alike, for the rest of
 * the transaction. A transaction-scoped advisory lock first: row locks alone ({@code for update}) lock nothing while
 * the table is empty, so two witnesses starting at once would both add the configured nodes and one would fail.
 */
public final class NodeLock {
    /** "pomfnode" in ASCII: a key no other advisory lock of the schema uses. */
    private static final long KEY = 0x706f6d666e6f6465L;

    private NodeLock() {}

    public static void take(EntityManager em) {
        em.createNativeQuery("select pg_advisory_xact_lock(" + KEY + ")").getResultList();
        em.createNativeQuery("select id from node order by id for update").getResultList();
    }
}
