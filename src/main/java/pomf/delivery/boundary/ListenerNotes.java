package pomf.delivery.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Notes each listener that carries a request to the application, for {@link DrainedStop} to drain at a stop, and
 * puts {@link ContinueProbe} on it.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ListenerNotes extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Listeners.note(request, response);
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
        Listeners.forget();
    }
}
