package pomf.upload.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import pomf.registry.boundary.Registry;
import pomf.registry.boundary.Removal;
import pomf.registry.entity.Upload;
import pomf.upload.control.DeletionTokens;
import pomf.upload.control.Page;
import pomf.upload.control.PomfReply;
import pomf.upload.entity.OutputFormat;

/**
 * The secret deletion link of an upload ({@code delete_url}, ShareX's DeletionURL). Opening it (GET) only shows
 * a confirmation, so link previews and prefetchers delete nothing; the form's POST (or a DELETE) deletes.
 */
@WebServlet(urlPatterns = "/delete/*")
public class DeleteServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Inject
    Registry registry;

    @Inject
    Removal removal;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Upload> upload = find(request);
        if (upload.isEmpty()) {
            notFound(response);
            return;
        }
        Upload u = upload.get();
        String action = "/delete/" + token(request);
        page(
                response,
                200,
                "Delete " + u.getOriginalName(),
                "<h1>Delete this file?</h1>"
                        + "<p class=\"file\"><span class=\"name\">" + PomfReply.html(u.getOriginalName()) + "</span> ("
                        + u.getFile().getSize() + " bytes, stored as <code>"
                        + PomfReply.html(u.getFile().getName())
                        + "</code>, uploaded " + u.getCreatedAt().withNano(0) + " UTC)</p>"
                        + "<form method=\"post\" action=\"" + PomfReply.html(action) + "\">"
                        + "<button type=\"submit\" class=\"danger\">Delete permanently</button></form>");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Upload> upload = find(request);
        if (upload.isEmpty()) {
            notFound(response);
            return;
        }
        removal.remove(upload.get(), "deletion link");
        page(
                response,
                200,
                "Deleted",
                "<h1>Deleted</h1><p>" + PomfReply.html(upload.get().getOriginalName())
                        + " was deleted.</p><p><a href=\"/\">Upload another file</a></p>");
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Upload> upload = find(request);
        upload.ifPresent(u -> removal.remove(u, "deletion link (DELETE)"));
        response.setStatus(upload.isPresent() ? 200 : 404);
        response.setContentType("application/json; charset=UTF-8");
        response.getWriter()
                .write(
                        upload.isPresent()
                                ? Json.createObjectBuilder()
                                        .add("success", true)
                                        .build()
                                        .toString()
                                : PomfReply.error(OutputFormat.JSON, 404, "Unknown deletion link."));
    }

    private Optional<Upload> find(HttpServletRequest request) {
        String token = token(request);
        return token == null ? Optional.empty() : registry.uploadByToken(DeletionTokens.hash(token));
    }

    private static String token(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null || !DeletionTokens.wellFormed(path.substring(1))) {
            return null;
        }
        return path.substring(1);
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        page(response, 404, "Not found", "<h1>Not found</h1><p>This deletion link is unknown or was used already.</p>");
    }

    private static void page(HttpServletResponse response, int status, String title, String body) throws IOException {
        Page.send(response, status, "text/html; charset=UTF-8", Page.render(title, body));
    }
}
