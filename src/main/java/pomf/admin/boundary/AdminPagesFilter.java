package pomf.admin.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import pomf.roles.control.Roles;

/**
 * The admin pages exist only on instances with the admin role, and are sent with headers that keep them out of
 * frames (clickjacking), caches and other sites' referrers, under a content security policy that lets them load
 * nothing from elsewhere and post forms only to themselves.
 */
@WebFilter(
        urlPatterns = {"/admin/*", "/jakarta.faces.resource/*"},
        asyncSupported = true)
public class AdminPagesFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    // PrimeFaces writes inline scripts and styles: 'unsafe-inline' is the price; everything else is 'self' only.
    static final String POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    @Inject
    Roles roles;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!roles.admin()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        if (request.getRequestURI().startsWith(request.getContextPath() + "/admin/")) {
            response.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(request, response);
    }
}
