package pomf.admin.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import pomf.access.boundary.AuditLog;
import pomf.access.entity.Actor;
import pomf.admin.entity.Outcome;
import pomf.blocks.control.BlockList;
import pomf.problem.entity.ProblemException;
import pomf.registry.boundary.Registry;
import pomf.review.boundary.ReviewQueue;
import pomf.review.entity.ReviewItem;

/**
 * The review queue's one action: take the reported content down everywhere. It bans the bytes (451 at the origin and
 * every edge, refused at upload), deletes every upload of them when asked, blocks the uploaders' ranges (an IPv4 /24,
 * an IPv6 /48) for a while when asked, and closes every open item of that content. Audited, step by step.
 */
@ApplicationScoped
public class ReviewActions {
    @Inject
    ReviewQueue queue;

    @Inject
    FileActions files;

    @Inject
    Registry registry;

    @Inject
    BlockList blocks;

    @Inject
    AuditLog audit;

    /** What a take-down did. */
    public record TakenDown(String name, String ban, List<String> blocked, int closed) {}

    /**
     * @param blockFor how long to block the uploaders' ranges; null: no block
     */
    public TakenDown takeDown(long itemId, String reason, boolean delete, Duration blockFor, Actor actor) {
        ReviewItem item = queue.item(itemId).orElseThrow(() -> ProblemException.notFound("no review item " + itemId));
        // Read before a deletion removes the uploads that name them.
        List<String> uploaders = blockFor == null ? List.of() : registry.uploaderAddresses(item.sha256());
        Outcome ban = files.banContent(item.storedName(), item.sha256(), reason, delete, actor);
        Set<String> ranges = new LinkedHashSet<>();
        for (String address : uploaders) {
            ranges.add(range(address));
        }
        List<String> blocked = new ArrayList<>();
        for (String range : ranges) {
            // The block's own spelling: canonical (RFC 5952 for IPv6), as the blocks list shows it.
            String cidr = blocks.add(range, reason + " (review item " + itemId + ")", blockFor, actor.name())
                    .getCidr();
            blocked.add(cidr);
            audit.record(actor, "block.add", cidr, reason + " (for " + blockFor + ", review item " + itemId + ")");
        }
        int closed = queue.resolveContent(
                item.sha256(), actor.name(), "taken down" + (delete ? " and deleted" : "") + ": " + reason);
        audit.record(
                actor,
                "review.takedown",
                Long.toString(itemId),
                item.storedName() + ": " + ban.detail() + "; " + blocked.size() + " range(s) blocked; " + closed
                        + " item(s) closed");
        return new TakenDown(item.storedName(), ban.detail(), List.copyOf(blocked), closed);
    }

    /** An uploader's range: the /24 of an IPv4 address, the /48 of an IPv6 one. */
    static String range(String address) {
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            int bits = bytes.length == 4 ? 24 : 48;
            for (int i = bits / 8; i < bytes.length; i++) {
                bytes[i] = 0;
            }
            return InetAddress.getByAddress(bytes).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }
}
