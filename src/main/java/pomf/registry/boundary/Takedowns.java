package pomf.registry.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Logger;
import pomf.registry.control.EdgePurger;
import pomf.storage.control.HashLocks;

/**
 * Takedowns that hold: banning content quarantines every link of it (kept, answered 451 Unavailable For Legal
 * Reasons by the origin) and tells every edge to drop those links and answer 451 without asking again; lifting the
 * ban brings back the links that were not deleted. The ban and the quarantine run under the content's lock, the one
 * an upload publishes under, so an upload of the same bytes is either refused by the ban or quarantined with the
 * rest. Edges that miss the purge (stopped, cut off) catch up from the origin's list of ban changes.
 */
@ApplicationScoped
public class Takedowns {
    private static final Logger LOG = Logger.getLogger(Takedowns.class.getName());

    @Inject
    Registry registry;

    @Inject
    HashLocks locks;

    @Inject
    EdgePurger edges;

    /**
     * Runs {@code ban} (which commits the ban of {@code sha256}), then quarantines every link of that content.
     *
     * @return the links taken down
     */
    public List<String> takeDown(String sha256, Runnable ban) {
        List<String> names;
        try (HashLocks.Held held = locks.lock(sha256)) {
            ban.run();
            names = registry.quarantine(sha256);
        }
        names.forEach(edges::takeDown);
        LOG.info(() -> "content " + sha256 + " taken down: " + names.size() + " link(s) answer 451");
        return names;
    }

    /**
     * After the ban of {@code hash} was lifted: the links of that content no other ban covers serve again.
     *
     * @return the links restored
     */
    public List<String> restore(String hash) {
        List<String> names = registry.release(hash);
        names.forEach(edges::purge);
        LOG.info(() -> "ban of " + hash + " lifted: " + names.size() + " link(s) serve again");
        return names;
    }

    /** Quarantines links a ban covers but that escaped it (see {@link Registry#quarantineMissed()}). */
    public void repair() {
        List<String> names = registry.quarantineMissed();
        if (!names.isEmpty()) {
            names.forEach(edges::takeDown);
            LOG.warning(() -> names.size() + " link(s) of banned content were still served; now taken down: " + names);
        }
    }
}
