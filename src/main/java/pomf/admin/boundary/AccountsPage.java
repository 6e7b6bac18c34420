package pomf.admin.boundary;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.List;
import pomf.access.boundary.AdminAccounts;
import pomf.access.control.AdminSession;
import pomf.access.entity.AdminAccount;
import pomf.problem.entity.ProblemException;

/** Administrators: who they are, adding and removing one, and changing one's own password. */
@Named
@ViewScoped
public class AccountsPage implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    transient AdminAccounts accounts;

    @Inject
    transient SecurityContext security;

    @Inject
    transient Actors actors;

    @Inject
    transient pomf.access.boundary.AuditLog audit;

    private List<AdminAccount> all;
    private String newUsername;
    private String newPassword;
    private String currentPassword;
    private String replacementPassword;

    public void load() {
        all = accounts.all();
    }

    public void add() {
        String name = newUsername;
        act("Administrator " + name + " added", () -> {
            accounts.create(name, newPassword);
            audit.record(actor(), "account.add", name, "");
        });
        newUsername = null;
        newPassword = null;
    }

    public void remove(String username) {
        act("Administrator " + username + " removed", () -> {
            accounts.remove(username);
            audit.record(actor(), "account.remove", username, "");
        });
    }

    public void changePassword() {
        String me = security.getCallerPrincipal().getName();
        act("Password changed", () -> {
            AdminSession.renew(
                    (HttpSession) FacesContext.getCurrentInstance()
                            .getExternalContext()
                            .getSession(false),
                    accounts.changePassword(me, currentPassword, replacementPassword));
            audit.record(actor(), "account.password", me, "");
        });
        currentPassword = null;
        replacementPassword = null;
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

    private pomf.access.entity.Actor actor() {
        return actors.ofPage(getCaller(), (HttpServletRequest)
                FacesContext.getCurrentInstance().getExternalContext().getRequest());
    }

    public List<pomf.access.entity.AuditRow> getRecent() {
        return audit.recent(100);
    }

    public String getCaller() {
        return security.getCallerPrincipal().getName();
    }

    public List<AdminAccount> getAll() {
        return all;
    }

    public String getNewUsername() {
        return newUsername;
    }

    public void setNewUsername(String newUsername) {
        this.newUsername = newUsername;
    }

    public String getNewPassword() {
        return newPassword;
    }

    public void setNewPassword(String newPassword) {
        this.newPassword = newPassword;
    }

    public String getCurrentPassword() {
        return currentPassword;
    }

    public void setCurrentPassword(String currentPassword) {
        this.currentPassword = currentPassword;
    }

    public String getReplacementPassword() {
        return replacementPassword;
    }

    public void setReplacementPassword(String replacementPassword) {
        this.replacementPassword = replacementPassword;
    }
}
