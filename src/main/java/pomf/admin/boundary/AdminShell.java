package pomf.admin.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.security.Principal;
import java.util.logging.Logger;
import pomf.access.control.AdminSession;

/** The template's bean: who is logged in, the session's CSRF token for scripts, and logging out. */
@Named
@RequestScoped
public class AdminShell {
    private static final Logger LOG = Logger.getLogger(AdminShell.class.getName());

    @Inject
    SecurityContext security;

    @Inject
    FacesContext faces;

    @Inject
    Actors actors;

    @Inject
    pomf.access.boundary.AuditLog audit;

    public String getCaller() {
        Principal caller = security.getCallerPrincipal();
        return caller == null ? "" : caller.getName();
    }

    public String getCsrfToken() {
        HttpServletRequest request =
                (HttpServletRequest) faces.getExternalContext().getRequest();
        return AdminSession.csrfToken(request.getSession(false)).orElse("");
    }

    /** Bytes for people: 1023 B, 1.5 KiB, 12.3 GiB. */
    public String bytes(long bytes) {
        return pomf.admin.control.Units.bytes(bytes);
    }

    public void logout() throws IOException, ServletException {
        ExternalContext external = faces.getExternalContext();
        HttpServletRequest request = (HttpServletRequest) external.getRequest();
        String caller = getCaller();
        audit.record(actors.ofPage(caller, request), "logout", caller, "");
        request.logout();
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        LOG.info(() -> "administrator " + caller + " logged out");
        external.redirect(external.getRequestContextPath() + "/admin/login.xhtml");
        faces.responseComplete();
    }
}
