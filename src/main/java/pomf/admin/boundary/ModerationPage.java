package pomf.admin.boundary;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import pomf.access.boundary.AuditLog;
import pomf.access.entity.Actor;
import pomf.blocks.control.BlockList;
import pomf.blocks.entity.AddressBlock;
import pomf.hashlists.boundary.HashLists;
import pomf.hashlists.control.HashListSql;
import pomf.problem.entity.ProblemException;
import pomf.review.boundary.ReviewQueue;
import pomf.review.entity.ReviewItem;
import pomf.review.entity.ReviewOrder;

/**
 * Moderation: the review queue (links quarantined by a hash list, waiting for a look), the hash lists (import a file,
 * remove a list) and the address blocks (add, remove). Every change is audited, as through the API.
 */
@Named
@ViewScoped
public class ModerationPage implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    transient ReviewQueue queue;

    @Inject
    transient HashLists lists;

    @Inject
    transient BlockList blocks;

    @Inject
    transient AuditLog audit;

    @Inject
    transient Actors actors;

    @Inject
    transient SecurityContext security;

    @Inject
    transient ReviewActions actions;

    @Inject
    transient ModerationActions moderation;

    private List<ReviewItem> items;
    private String order = "newest";
    private String category = "";
    private String takeDownReason = "against the rules (review)";
    private long open;
    private List<HashListSql.ListView> hashLists;
    private List<AddressBlock> activeBlocks;
    private String listName;
    private String listReason;
    private transient Part listFile;
    private String blockRange;
    private String blockReason;
    private String blockExpires;

    public void load() {
        items = queue.items(
                true,
                ReviewOrder.named(order).orElse(ReviewOrder.NEWEST),
                category == null || category.isBlank() ? null : category,
                200);
        open = queue.openCount();
        hashLists = lists.all();
        activeBlocks = blocks.active();
    }

    public void markReviewed(long id) {
        act("Item " + id + " marked reviewed", () -> {
            if (!queue.resolve(id, actor().name(), "reviewed: kept quarantined")) {
                throw ProblemException.notFound("no open review item " + id);
            }
            audit.record(actor(), "review.resolve", Long.toString(id), "reviewed: kept quarantined");
        });
    }

    /** Takes the item's content down everywhere and deletes its uploads; with {@code block}, blocks the uploaders 7 d. */
    public void takeDown(long id, boolean block) {
        act("Taken down", () -> {
            String reason = takeDownReason == null || takeDownReason.isBlank()
                    ? "against the rules (review)"
                    : takeDownReason.trim();
            ReviewActions.TakenDown done =
                    actions.takeDown(id, reason, true, block ? Duration.ofDays(7) : null, actor());
            FacesContext.getCurrentInstance()
                    .addMessage(
                            null,
                            new FacesMessage(
                                    FacesMessage.SEVERITY_INFO,
                                    done.name() + " taken down",
                                    done.ban() + (done.blocked().isEmpty() ? "" : "; blocked " + done.blocked())));
        });
    }

    public void importList() {
        String name = listName == null ? "" : listName.trim();
        String reason = listReason == null ? "" : listReason.trim();
        act("Hash list " + name + " imported", () -> {
            if (listFile == null || listFile.getSize() == 0) {
                throw ProblemException.badRequest("File: choose a list (one hash per line, or CSV)");
            }
            HashListSql.Imported imported;
            try (InputStream in = listFile.getInputStream()) {
                imported = moderation.importList(name, reason, in, actor());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            FacesContext.getCurrentInstance()
                    .addMessage(
                            null,
                            new FacesMessage(
                                    FacesMessage.SEVERITY_INFO,
                                    name + ": " + imported.entries() + " hashes",
                                    imported.quarantined().size() + " link(s) quarantined, "
                                            + imported.released().size() + " released, " + imported.ignored()
                                            + " line(s) without a hash"
                                            + (imported.md5Pending() == 0
                                                    ? ""
                                                    : "; " + imported.md5Pending() + " link(s) stored without an"
                                                            + " MD5 are being hashed and checked in the background")));
        });
        listName = null;
        listReason = null;
    }

    public void removeList(String name) {
        act("Hash list " + name + " removed", () -> moderation.removeList(name, actor()));
    }

    public void addBlock() {
        String range = blockRange == null ? "" : blockRange.trim();
        act("Uploads from " + range + " blocked", () -> moderation.block(range, blockReason, blockExpires, actor()));
        blockRange = null;
        blockReason = null;
        blockExpires = null;
    }

    public void removeBlock(long id) {
        act("Block " + id + " removed", () -> moderation.unblock(id, actor()));
    }

    private void act(String done, Runnable action) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            action.run();
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, done, null));
        } catch (ProblemException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.title(), e.getMessage()));
            faces.validationFailed();
        }
        load();
    }

    private Actor actor() {
        return actors.ofPage(security.getCallerPrincipal().getName(), (HttpServletRequest)
                FacesContext.getCurrentInstance().getExternalContext().getRequest());
    }

    public String getOrder() {
        return order;
    }

    public void setOrder(String order) {
        this.order = order;
    }

    public String getCategory() {
        return category;
    }

    public void setCategory(String category) {
        this.category = category;
    }

    public String getTakeDownReason() {
        return takeDownReason;
    }

    public void setTakeDownReason(String takeDownReason) {
        this.takeDownReason = takeDownReason;
    }

    public List<String> getCategories() {
        return ReviewQueue.CATEGORIES.stream().sorted().toList();
    }

    public List<ReviewItem> getItems() {
        return items;
    }

    public long getOpen() {
        return open;
    }

    public List<HashListSql.ListView> getHashLists() {
        return hashLists;
    }

    public List<AddressBlock> getActiveBlocks() {
        return activeBlocks;
    }

    public String getListName() {
        return listName;
    }

    public void setListName(String listName) {
        this.listName = listName;
    }

    public String getListReason() {
        return listReason;
    }

    public void setListReason(String listReason) {
        this.listReason = listReason;
    }

    public Part getListFile() {
        return listFile;
    }

    public void setListFile(Part listFile) {
        this.listFile = listFile;
    }

    public String getBlockRange() {
        return blockRange;
    }

    public void setBlockRange(String blockRange) {
        this.blockRange = blockRange;
    }

    public String getBlockReason() {
        return blockReason;
    }

    public void setBlockReason(String blockReason) {
        this.blockReason = blockReason;
    }

    public String getBlockExpires() {
        return blockExpires;
    }

    public void setBlockExpires(String blockExpires) {
        this.blockExpires = blockExpires;
    }
}
