package pomf.admin.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import pomf.access.boundary.AuditLog;
import pomf.access.entity.Actor;
import pomf.blocks.control.BlockList;
import pomf.blocks.entity.AddressBlock;
import pomf.hashlists.boundary.HashLists;
import pomf.hashlists.boundary.Md5Sweep;
import pomf.hashlists.control.HashListSql;
import pomf.hashlists.control.Md5Demand;
import pomf.problem.entity.ProblemException;
import pomf.registry.control.EdgePurger;
import pomf.upload.control.Expiry;
import pomf.upload.entity.UploadRejectedException;

/**
 * What an admin does to hash lists and address blocks, the same from the API and from the Moderation page: the
 * checks of what was given, the change, the edges told, the audit row.
 */
@ApplicationScoped
public class ModerationActions {
    private static final Logger LOG = Logger.getLogger(ModerationActions.class.getName());
    private static final Pattern LIST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** Edges are told of this many links at once; the rest they learn from the takedown feed. */
    private static final int TOLD_AT_ONCE = 1000;

    @Inject
    HashLists lists;

    @Inject
    BlockList blocks;

    @Inject
    EdgePurger edges;

    @Inject
    Md5Demand md5Demand;

    @Inject
    Md5Sweep md5Sweep;

    @Inject
    AuditLog audit;

    /** Refuses (400) a list name that is not letters, digits, '.', '_' and '-' (at most 100). */
    public static void checkListName(String name) {
        if (name == null || !LIST_NAME.matcher(name).matches()) {
            throw ProblemException.badRequest(
                    "name: letters, digits, '.', '_' and '-', at most 100, starting with a letter or digit");
        }
    }

    /** Creates list {@code name} or replaces its hashes with those in {@code body}. */
    public HashListSql.Imported importList(String name, String reason, InputStream body, Actor actor) {
        checkListName(name);
        String why = reason == null ? "" : reason.trim();
        if (why.isEmpty() || why.length() > 500) {
            throw ProblemException.badRequest("reason: say why these hashes are refused (at most 500 characters)");
        }
        long started = System.nanoTime();
        HashListSql.Imported imported = lists.replace(name, why, actor.name(), body);
        md5Demand.changed();
        if (imported.md5Entries() > 0) {
            md5Sweep.kick(); // links stored without their MD5 are hashed and checked in the background
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        tellEdges(imported.quarantined(), imported.released());
        audit.record(
                actor,
                "hashlist.import",
                name,
                imported.entries() + " hashes (+" + imported.added() + " -" + imported.removed() + "), "
                        + imported.quarantined().size() + " link(s) quarantined: " + why);
        LOG.info(() -> "hash list " + name + ": " + imported.entries() + " hashes imported in " + millis + " ms, "
                + imported.quarantined().size() + " link(s) quarantined, "
                + imported.released().size() + " released");
        return imported;
    }

    /** Removes list {@code name} (404 when there is none), releasing what only it quarantined. */
    public HashListSql.Removed removeList(String name, Actor actor) {
        checkListName(name);
        HashListSql.Removed removed =
                lists.remove(name).orElseThrow(() -> ProblemException.notFound("no hash list " + name));
        md5Demand.changed();
        tellEdges(List.of(), removed.released());
        audit.record(
                actor,
                "hashlist.remove",
                name,
                removed.entries() + " hashes, " + removed.released().size() + " link(s) released");
        return removed;
    }

    /**
     * Blocks uploads from {@code range} for {@code expires} (a duration such as 7d; empty or "never": until
     * removed).
     */
    public AddressBlock block(String range, String reason, String expires, Actor actor) {
        String why = reason == null ? "" : reason.trim();
        if (why.isEmpty()) {
            throw ProblemException.badRequest("reason: say why (at most 500 characters)");
        }
        String lasting = expires == null ? "" : expires.trim();
        Duration duration = null;
        if (!lasting.isEmpty()) {
            try {
                duration = Expiry.parse(lasting).orElse(null); // "never": until removed
            } catch (UploadRejectedException | ArithmeticException e) {
                throw ProblemException.badRequest("expires: a duration such as 30m, 12h or 7d, or never");
            }
        }
        AddressBlock block = blocks.add(range, why, duration, actor.name());
        audit.record(actor, "block.add", block.getCidr(), why + (duration == null ? "" : " (for " + lasting + ")"));
        return block;
    }

    /** Removes block {@code id} (404 when there is none). */
    public void unblock(long id, Actor actor) {
        if (!blocks.remove(id)) {
            throw ProblemException.notFound("no block " + id);
        }
        audit.record(actor, "block.remove", Long.toString(id), "");
    }

    private void tellEdges(List<String> quarantined, List<String> released) {
        quarantined.stream().limit(TOLD_AT_ONCE).forEach(edges::takeDown);
        released.stream().limit(TOLD_AT_ONCE).forEach(edges::purge);
    }
}
