package pomf.edge.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import pomf.http.control.HttpSettings;
import pomf.roles.control.Roles;

/**
 * On an edge-only instance, everything but files, the purge API, health and metrics belongs to the origin: a 307 sends the client
 * there with its method and body (uploads included), since the edge has no database and no blob store.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class EdgeOnlyFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Inject
    Roles roles;

    @Inject
    HttpSettings http;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (roles.usesDatabase()
                || path.startsWith("/f/")
                || path.startsWith("/api/v1/edge/")
                || path.startsWith("/metrics")
                || path.startsWith("/health")) {
            chain.doFilter(request, response);
            return;
        }
        String query = request.getQueryString();
        response.setStatus(307);
        response.setHeader("Location", http.serviceUrl(path) + (query == null ? "" : "?" + query));
        response.setHeader("Connection", "close");
    }
}
