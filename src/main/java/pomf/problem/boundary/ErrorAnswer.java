package pomf.problem.boundary;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;

/**
 * The container's error page (web.xml's {@code <error-page>}), for whatever failed without answering: its true
 * status, {@code Cache-Control: no-store}, and never a range of anything. Served as a static file, the page took the
 * failed request's {@code Range} and went out as {@code 206 Content-Range: bytes a-b/281}: a download manager spliced
 * the page's bytes into a user's video, and an edge could have stored them.
 */
@WebServlet(urlPatterns = "/error")
public class ErrorAnswer extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private byte[] page;

    @Override
    public void init() throws ServletException {
        try (InputStream in = getServletContext().getResourceAsStream("/WEB-INF/error.html")) {
            page = in == null ? "Something went wrong.\n".getBytes() : in.readAllBytes();
        } catch (IOException e) {
            throw new ServletException("the error page cannot be read", e);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer status)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND); // asked for directly: there is no such page
            return;
        }
        if (response.isCommitted()) {
            return; // nothing can be said any more; the connection's fate is the container's
        }
        response.reset(); // whatever the failed request had set (a Content-Range, say) goes
        response.setStatus(status >= 400 ? status : HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("text/html; charset=UTF-8");
        response.setContentLength(page.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(page);
        }
    }
}
