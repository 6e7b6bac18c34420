package pomf.admin.boundary;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import pomf.admin.entity.DnsChange;
import pomf.admin.entity.NodeBoardRow;
import pomf.problem.entity.ProblemException;
import pomf.witness.boundary.NodeActions;
import pomf.witness.control.NodeForm;

/**
 * The nodes: state, last checks, strikes over the last hour, and the administrator's actions (kill, revive,
 * maintenance, add, edit, remove), each confirmed in the page and recorded with who did it.
 */
@Named
@ViewScoped
public class NodesPage implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    transient NodeBoard board;

    @Inject
    transient NodeActions actions;

    @Inject
    transient SecurityContext security;

    private List<NodeBoardRow> rows;
    private List<DnsChange> dnsChanges;
    private String strikeChart;
    private String selected;
    private String reason;
    private Action pending;
    private final NodeFields form = new NodeFields();
    private boolean editing;

    public void load() {
        rows = board.rows();
        dnsChanges = board.openDnsChanges();
        strikeChart = board.strikeTimeline().chartJs("strikes", "bar");
    }

    /** What an administrator may do to a node from this page, as the page's buttons name it. */
    enum Action {
        KILL,
        REVIVE,
        MAINTENANCE,
        REMOVE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The action a button names, or null for a name no button has. */
        static Action named(String name) {
            for (Action a : values()) {
                if (a.label().equals(name)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** Opens the confirmation of {@code action} (kill, revive, maintenance, remove) on node {@code name}. */
    public void prepare(String name, String action) {
        selected = name;
        pending = Action.named(action);
        reason = "";
    }

    public void confirm() {
        if (pending == null) {
            FacesContext.getCurrentInstance()
                    .addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "Nothing to confirm", null));
        } else {
            switch (pending) {
                case KILL -> kill();
                case REVIVE -> revive();
                case MAINTENANCE -> maintenance();
                case REMOVE -> remove();
            }
        }
        pending = null;
    }

    private void kill() {
        act("killed", () -> actions.kill(selected, reasonOr("killed by hand"), actor()));
    }

    private void revive() {
        act("revived", () -> actions.revive(selected, reasonOr("revived by hand"), actor()));
    }

    private void maintenance() {
        act("parked for maintenance", () -> actions.maintenance(selected, reasonOr("maintenance"), actor()));
    }

    private void remove() {
        act("removed", () -> {
            actions.remove(selected, actor());
            return null;
        });
    }

    public void newNode() {
        editing = false;
        form.clear();
    }

    public void editNode(String name) {
        editing = true;
        rows.stream().filter(r -> r.name().equals(name)).findFirst().ifPresent(form::fill);
    }

    public void save() {
        selected = form.getName();
        act(editing ? "saved" : "added", () -> {
            NodeForm node = new NodeForm(
                    form.getName(), form.getAddress(), form.getCheckUrl(), form.getSshPort(), form.getRecord());
            return editing ? actions.edit(node, actor()) : actions.add(node, actor());
        });
    }

    private void act(String done, Supplier<Object> action) {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            action.get();
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, selected + " " + done, null));
        } catch (ProblemException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.title(), e.getMessage()));
            faces.validationFailed();
        }
        load();
    }

    private String reasonOr(String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason.trim();
    }

    private String actor() {
        return "admin " + security.getCallerPrincipal().getName();
    }

    public List<NodeBoardRow> getRows() {
        return rows;
    }

    public List<DnsChange> getDnsChanges() {
        return dnsChanges;
    }

    public String getStrikeChart() {
        return strikeChart;
    }

    public String getSelected() {
        return selected;
    }

    public String getPending() {
        return pending == null ? null : pending.label();
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public NodeFields getForm() {
        return form;
    }

    public boolean isEditing() {
        return editing;
    }
}
