package pomf.admin.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import pomf.access.entity.Actor;
import pomf.upload.control.UploadSettings;

/**
 * Who makes an API request, for the audit trail: the logged-in administrator's name, or {@link Actor#TOKEN} for a
 * request authenticated by the API token alone; the address is the client's behind trusted proxies.
 */
@ApplicationScoped
public class Actors {
    @Inject
    UploadSettings settings;

    /** The administrator behind a page request (Jakarta Security's caller) and their address. */
    public Actor ofPage(String caller, HttpServletRequest request) {
        String address = settings.clientAddress().of(request);
        return new Actor(caller, address);
    }

    public Actor of(SecurityContext security, HttpServletRequest request) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        String name = principal == null
                        || principal.getName() == null
                        || principal.getName().isBlank()
                ? Actor.TOKEN
                : principal.getName();
        String address = settings.clientAddress().of(request);
        return new Actor(name, address);
    }
}
