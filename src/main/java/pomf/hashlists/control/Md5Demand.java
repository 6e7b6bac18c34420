package pomf.hashlists.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import pomf.hashlists.boundary.Md5Sweep;

/**
 * Whether uploads compute MD5: only while some hash list holds MD5 entries. Read from the database at most every
 * {@link #RECHECK_MILLIS} (another origin may have imported a list), at once after an import or removal here. A link
 * published in the moments before an import is seen has no MD5; the {@link Md5Sweep} hashes it afterwards.
 */
@ApplicationScoped
public class Md5Demand {
    private static final Logger LOG = Logger.getLogger(Md5Demand.class.getName());
    static final long RECHECK_MILLIS = 5_000;

    @Inject
    HashListSql sql;

    private volatile boolean wanted;
    private volatile long readAt = Long.MIN_VALUE / 2;
    private final AtomicBoolean reading = new AtomicBoolean();

    /** Whether an upload starting now computes MD5 too. */
    public boolean wanted() {
        long now = System.currentTimeMillis();
        if (now - readAt >= RECHECK_MILLIS && reading.compareAndSet(false, true)) {
            try {
                wanted = sql.anyMd5Entries();
                readAt = now;
            } catch (SQLException e) {
                // Keep the last answer: the sweep hashes whatever goes without.
                LOG.fine(() -> "hash lists' MD5 entries could not be counted: " + e);
            } finally {
                reading.set(false);
            }
        }
        return wanted;
    }

    /** A list was imported or removed here: read again on the next question (after the change's commit). */
    public void changed() {
        readAt = Long.MIN_VALUE / 2;
    }
}
