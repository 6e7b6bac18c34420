package pomf.admin.boundary;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import pomf.access.boundary.AuditLog;
import pomf.admin.control.EdgeScrape;
import pomf.admin.entity.EdgeFigures;
import pomf.names.control.StoredNames;
import pomf.registry.control.EdgePurger;

/** The edges' caches: live figures from each edge's /metrics, and purging a file from every edge now. */
@Named
@ViewScoped
public class CachePage implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    transient EdgeScrape scrape;

    @Inject
    transient EdgePurger purger;

    @Inject
    transient AuditLog audit;

    @Inject
    transient Actors actors;

    @Inject
    transient SecurityContext security;

    private List<EdgeFigures> edges;
    private String name;

    public void load() {
        edges = scrape.read(purger.edges());
    }

    public void purge() {
        FacesContext faces = FacesContext.getCurrentInstance();
        String target = name == null ? "" : name.trim();
        if (!StoredNames.valid(target)) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "Not a stored name", target));
            faces.validationFailed();
            return;
        }
        Map<String, String> outcomes = purger.purgeNow(target);
        audit.record(
                actors.ofPage(security.getCallerPrincipal().getName(), (HttpServletRequest)
                        faces.getExternalContext().getRequest()),
                "cache.purge",
                target,
                outcomes.toString());
        if (outcomes.isEmpty()) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_WARN, "No edges are configured", null));
        }
        outcomes.forEach((edge, result) ->
                faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, edge + ": " + result, null)));
        load();
    }

    public String bytes(long n) {
        return pomf.admin.control.Units.bytes(n);
    }

    public List<EdgeFigures> getEdges() {
        return edges;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
