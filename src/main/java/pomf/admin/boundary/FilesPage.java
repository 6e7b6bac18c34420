package pomf.admin.boundary;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import pomf.access.entity.Actor;
import pomf.admin.control.FileCriteria;
import pomf.admin.entity.FileDetail;
import pomf.admin.entity.FileRow;
import pomf.admin.entity.Outcome;
import pomf.problem.entity.ProblemException;

/**
 * Files: search by name, stored name, hash, date and uploader address, paged on the server (a lazy table over
 * millions of rows), one file's uploads, delete (the edges purge it), ban its content, and both for a selection.
 */
@Named
@ViewScoped
public class FilesPage implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    transient FileCatalog catalog;

    @Inject
    transient FileActions actions;

    @Inject
    transient Actors actors;

    @Inject
    transient SecurityContext security;

    private final Map<String, String> fields = new LinkedHashMap<>();
    private FileCriteria criteria = FileCriteria.all();
    private FileTable table;
    private List<FileRow> selection = new ArrayList<>();
    private FileDetail detail;
    private String target;
    private String reason;
    private boolean deleteToo;

    public void load() {
        fields.putIfAbsent("sort", "-created");
        table = new FileTable(this);
    }

    public void search() {
        try {
            Map<String, String> given = new LinkedHashMap<>();
            fields.forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    given.put(k, v.trim());
                }
            });
            criteria = FileCriteria.parse(given);
            selection = new ArrayList<>();
        } catch (ProblemException e) {
            problem(e);
        }
    }

    long cappedCount() {
        return catalog.cappedCount(criteria);
    }

    List<FileRow> rows(long offset, int limit) {
        return catalog.rows(criteria, offset, limit);
    }

    public void view(String name) {
        detail = catalog.detail(name).orElse(null);
        if (detail == null) {
            info(FacesMessage.SEVERITY_WARN, name + " is gone");
        }
    }

    public void prepare(String name) {
        target = name;
        reason = "";
        deleteToo = false;
    }

    public void delete(String name) {
        report(List.of(act(() -> actions.delete(name, actor()))));
    }

    public void ban() {
        String why = reason == null || reason.isBlank() ? "banned by an administrator" : reason.trim();
        if (target != null) {
            report(List.of(act(() -> actions.ban(target, why, deleteToo, actor()))));
        } else {
            report(act(() -> actions.bulk(names(), true, why, deleteToo, actor())));
        }
        target = null;
    }

    public void deleteSelected() {
        report(act(() -> actions.bulk(names(), false, "", true, actor())));
    }

    public void prepareBulkBan() {
        target = null;
        reason = "";
        deleteToo = false;
    }

    private List<String> names() {
        return selection.stream().map(FileRow::name).toList();
    }

    private <T> T act(Supplier<T> action) {
        try {
            return action.get();
        } catch (ProblemException e) {
            problem(e);
            return null;
        }
    }

    private void report(List<Outcome> outcomes) {
        if (outcomes == null) {
            return;
        }
        for (Outcome o : outcomes) {
            if (o == null) {
                continue;
            }
            info(o.found() ? FacesMessage.SEVERITY_INFO : FacesMessage.SEVERITY_WARN, o.target() + ": " + o.result());
        }
        selection = new ArrayList<>();
    }

    private Actor actor() {
        FacesContext faces = FacesContext.getCurrentInstance();
        return actors.ofPage(security.getCallerPrincipal().getName(), (HttpServletRequest)
                faces.getExternalContext().getRequest());
    }

    private static void info(FacesMessage.Severity severity, String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(severity, text, null));
    }

    private static void problem(ProblemException e) {
        FacesContext faces = FacesContext.getCurrentInstance();
        faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.title(), e.getMessage()));
        faces.validationFailed();
    }

    public String bytes(long n) {
        return pomf.admin.control.Units.bytes(n);
    }

    public Map<String, String> getFields() {
        return fields;
    }

    public FileTable getTable() {
        return table;
    }

    public List<FileRow> getSelection() {
        return selection;
    }

    public void setSelection(List<FileRow> selection) {
        this.selection = selection == null ? new ArrayList<>() : new ArrayList<>(selection);
    }

    public FileDetail getDetail() {
        return detail;
    }

    public String getTarget() {
        return target;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    /** Whether a ban also deletes every upload of the content (their links then answer 404, not 451). */
    public boolean isDeleteToo() {
        return deleteToo;
    }

    public void setDeleteToo(boolean deleteToo) {
        this.deleteToo = deleteToo;
    }
}
