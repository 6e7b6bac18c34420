package pomf.access.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;
import pomf.access.control.AccessSettings;
import pomf.access.control.AdminSession;
import pomf.http.control.Bearer;
import pomf.problem.boundary.ProblemMapper;

/**
 * Lets an {@link AdminOnly} request through only for an administrator: the API token's holder or a logged-in admin
 * session ({@link AdminAuthentication} decides which). A session may change things only with its CSRF token in
 * {@code X-CSRF-Token}: a cookie alone, which any web page can make a browser send, is not enough.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminAccessFilter implements ContainerRequestFilter {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    @Context
    HttpServletRequest servletRequest;

    @Inject
    AccessSettings settings;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!request.getSecurityContext().isUserInRole(AdminAuthentication.ROLE)) {
            String detail = settings.apiToken().isPresent()
                    ? "An administrator session or a valid API token is required."
                    : "Log in as an administrator (no pomf.api.token is configured, so the API takes no token).";
            request.abortWith(ProblemMapper.problem(401, "Unauthorized", detail));
            return;
        }
        boolean viaSession = AdminSession.VIA_SESSION.equals(servletRequest.getAttribute(AdminSession.VIA));
        if (viaSession && !SAFE.contains(request.getMethod())) {
            String sent = request.getHeaderString(AdminSession.CSRF_HEADER);
            String expected =
                    AdminSession.csrfToken(servletRequest.getSession(false)).orElse(null);
            if (sent == null || expected == null || !Bearer.same(sent, expected)) {
                request.abortWith(ProblemMapper.problem(
                        403,
                        "Forbidden",
                        "Changes through a session need its token in " + AdminSession.CSRF_HEADER
                                + " (shown on the admin pages)."));
            }
        }
    }
}
