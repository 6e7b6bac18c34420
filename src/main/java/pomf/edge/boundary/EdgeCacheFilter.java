package pomf.edge.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import pomf.edge.control.Answer;
import pomf.edge.control.EdgeCache;
import pomf.edge.control.OriginClient;
import pomf.edge.entity.CacheStatus;
import pomf.traffic.control.TrafficRecorder;

/**
 * The edge in front of {@code /f/*}: answers from the cache (see {@link EdgeCache} for the rules), passes the
 * request through below min uses, and says which with {@code X-Cache-Status}. Off unless the edge role is on;
 * the edge's own fetches from an instance that is also the origin go on to the file servlet.
 */
@WebFilter(urlPatterns = "/f/*")
public class EdgeCacheFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]{1,40}(\\.[A-Za-z0-9]{1,12}){0,2}");
    private static final String[] FORWARDED = {"Range", "If-Range", "If-None-Match", "If-Modified-Since"};

    @Inject
    EdgeCache cache;

    @Inject
    CachedResponse cached;

    @Inject
    TrafficRecorder records;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String method = request.getMethod();
        if (!cache.enabled()
                || request.getHeader(OriginClient.FETCH_HEADER) != null
                || !(method.equals("GET") || method.equals("HEAD"))) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getPathInfo();
        if (path == null
                || path.length() < 2
                || !NAME.matcher(path.substring(1)).matches()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            records.edge(HttpServletResponse.SC_NOT_FOUND, 0, null, null);
            return;
        }
        String name = path.substring(1);
        Answer answer = cache.answer(name);
        response.setHeader("X-Cache-Status", answer.status().name());
        cache.counters().answered(answer.status());
        long sent = 0;
        boolean failed = true;
        try {
            if (answer.passThrough()) {
                sent = proxy(name, request, response);
            } else if (answer.object() == null) {
                response.setStatus(answer.errorStatus());
                response.setContentType("text/plain; charset=UTF-8");
                response.getWriter()
                        .write(answer.errorStatus() == 404 ? "404 Not Found\n" : "The origin is unavailable.\n");
            } else {
                sent = cached.send(answer.object(), request, response, method.equals("GET"));
            }
            failed = false;
        } finally {
            int status = failed && !response.isCommitted() ? 500 : response.getStatus();
            records.edge(status, sent, answer.status(), status < 400 ? name : null);
        }
    }

    /**
     * Below min uses: the origin's answer, streamed through and not stored (nginx reports it as a miss).
     *
     * @return the body bytes sent
     */
    private long proxy(String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
        long sent = 0;
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : FORWARDED) {
            if (request.getHeader(h) != null) {
                headers.put(h, request.getHeader(h));
            }
        }
        try (OriginClient.Response origin = cache.origin().get(name, request.getMethod(), headers)) {
            if (origin.foreignNotFound()) {
                // Not the origin's word on the file (a server still starting): never tell the client it is gone.
                response.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
                response.setContentType("text/plain; charset=UTF-8");
                response.getWriter().write("The origin is unavailable.\n");
                return 0;
            }
            response.setStatus(origin.status());
            origin.keptHeaders().forEach(response::setHeader);
            for (String h : new String[] {"Content-Range", "Accept-Ranges"}) {
                if (origin.header(h) != null) {
                    response.setHeader(h, origin.header(h));
                }
            }
            String length = origin.header("Content-Length");
            if (length != null) {
                response.setHeader("Content-Length", length);
            }
            InputStream body = origin.body();
            if (body != null && request.getMethod().equals("GET")) {
                OutputStream out = response.getOutputStream();
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    cache.counters().fromOrigin(n);
                    sent += n;
                }
            }
            return sent;
        } catch (IOException e) {
            if (!response.isCommitted()) {
                response.reset();
                response.setHeader("X-Cache-Status", CacheStatus.MISS.name());
                response.sendError(HttpServletResponse.SC_BAD_GATEWAY);
                return 0;
            } else {
                throw e;
            }
        }
    }
}
