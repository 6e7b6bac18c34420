package pomf.access.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import pomf.access.control.AccessSettings;
import pomf.caps.boundary.HeldRefusals;

/**
 * Turns a client that has used up its login attempts away at the login page's door: its GETs and POSTs of the page
 * get a small {@code 429} with {@code Retry-After}, before Faces builds a view or decodes a form. The attempt is
 * still counted where it is made ({@link AdminAuthentication}); this only looks, so a flood from one address (an
 * IPv6 /64) costs the origin a map lookup per request instead of a page render and a Faces POST, and the
 * well-behaved clients beside it keep their latency (issue 14, the login flood). The refusal is held a second
 * ({@link HeldRefusals}), so a password script in a closed loop gets one answer a second per connection.
 */
@WebFilter(urlPatterns = AdminAuthentication.LOGIN_PAGE, asyncSupported = true)
public class LoginGate extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Inject
    AccessSettings settings;

    @Inject
    HeldRefusals refusals;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String client =
                settings.clientAddress().limitKey(settings.clientAddress().of(request));
        long wait = settings.loginRate().waitSeconds(client, System.nanoTime());
        if (wait <= 0) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = page(wait, request.getContextPath() + AdminAuthentication.LOGIN_PAGE)
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(429);
        response.setHeader("Retry-After", Long.toString(wait));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(body.length);
        boolean head = "HEAD".equals(request.getMethod());
        refusals.instance().send(request, response, client, r -> {
            if (!head) {
                r.getOutputStream().write(body);
            }
        });
    }

    private static String page(long wait, String loginPage) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"UTF-8\"/>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
                + "<link rel=\"icon\" href=\"data:,\"/><title>Log in · pomf-ee admin</title></head>"
                + "<body style=\"font-family: sans-serif; max-width: 28em; margin: 4em auto\">"
                + "<h1>pomf-ee admin</h1><p>Too many login attempts from your address: try again in " + wait
                + " s.</p><p><a href=\"" + loginPage + "\">Back to the login page</a></p></body></html>\n";
    }
}
