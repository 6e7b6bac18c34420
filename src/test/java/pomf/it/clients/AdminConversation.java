package pomf.it.clients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import pomf.access.control.PasswordHashes;
import pomf.it.deployments.Database;

/**
 * A browser's HTTP conversation with the admin, without a browser: cookies kept, the login form filled in and
 * posted with its Faces view state, the session's CSRF token read from the page.
 */
public final class AdminConversation {
    private static final Pattern VIEW_STATE =
            Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern CSRF = Pattern.compile("name=\"pomf-csrf-token\" content=\"([0-9a-f]*)\"");

    private final HttpClient http;
    private final String forwardedFor;

    /** {@code forwardedFor}: the client address to claim (the test deployment trusts 127.0.0.1 as a proxy). */
    public AdminConversation(String forwardedFor) {
        this.forwardedFor = forwardedFor;
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Creates an administrator directly in the database (cheap hash: tests log in often). */
    public static void createAccount(String username, String password) {
        Database.execute("delete from admin_account where username = ?", username);
        Database.execute(
                "insert into admin_account (username, password_hash) values (?, ?)",
                username,
                new PasswordHashes(1000).hash(password));
    }

    /**
     * Posts the login form; returns the answer (a redirect on success, the form with a message otherwise), or the
     * login page's own answer when it refused to show the form (a client out of login attempts).
     */
    public HttpResponse<String> login(String username, String password) {
        HttpResponse<String> page = get("/admin/login.xhtml");
        if (page.statusCode() != 200) {
            return page;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("login", "login");
        form.put("login:username", username);
        form.put("login:password", password);
        form.put("login:next", "");
        form.put("login:submit", "Log in");
        form.put("jakarta.faces.ViewState", viewState(page.body()));
        return postForm("/admin/login.xhtml", form);
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(request(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** A JSON API call with this session's cookie and, when {@code csrf}, the token the pages show. */
    public HttpResponse<String> api(String method, String path, String json, boolean csrf) {
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json == null ? "" : json));
        if (csrf) {
            request.header("X-CSRF-Token", csrfToken());
        }
        return send(request.build());
    }

    public String csrfToken() {
        Matcher m = CSRF.matcher(get("/admin/dashboard.xhtml").body());
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token on the dashboard: not logged in?");
        }
        return m.group(1);
    }

    public static String viewState(String page) {
        Matcher m = VIEW_STATE.matcher(page);
        if (!m.find()) {
            throw new IllegalStateException("no Faces view state in the page");
        }
        return m.group(1);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PomfClient.PORT + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", forwardedFor);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
