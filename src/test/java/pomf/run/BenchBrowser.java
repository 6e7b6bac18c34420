package pomf.run;

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

/**
 * The admin's browser without a browser, for timing pages: a cookie jar, the login form, full pages and the Ajax
 * posts PrimeFaces sends (the view state is taken from each answer, full page or partial response).
 */
final class BenchBrowser {
    private static final Pattern VIEW_STATE =
            Pattern.compile("name=\"jakarta.faces.ViewState\"[^>]*value=\"([^\"]+)\"");
    private static final Pattern PARTIAL_VIEW_STATE =
            Pattern.compile("jakarta\\.faces\\.ViewState:\\d+\"><!\\[CDATA\\[([^\\]]+)\\]\\]>");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // as a browser over plain HTTP: no h2c upgrade
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final String base;
    private String viewState;

    BenchBrowser(String base) {
        this.base = base;
    }

    /** Logs in through the form; fails unless the answer is the redirect of a successful login. */
    void login(String username, String password) {
        get("/admin/login.xhtml");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("login", "login");
        form.put("login:username", username);
        form.put("login:password", password);
        form.put("login:next", "");
        form.put("login:submit", "Log in");
        form.put("jakarta.faces.ViewState", viewState);
        HttpResponse<String> answer = send(post("/admin/login.xhtml", form).build());
        if (answer.statusCode() != 302) {
            throw new IllegalStateException("login refused: HTTP " + answer.statusCode());
        }
    }

    /** A full page; its view state becomes the one later posts send. */
    HttpResponse<String> get(String path) {
        HttpResponse<String> answer = send(request(path).GET().build());
        Matcher m = VIEW_STATE.matcher(answer.body());
        if (m.find()) {
            viewState = m.group(1);
        }
        return answer;
    }

    /** An Ajax post as PrimeFaces sends it, with the current view state; the answer's view state is kept. */
    HttpResponse<String> ajax(String path, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("jakarta.faces.ViewState", viewState);
        HttpResponse<String> answer = send(post(path, form)
                .header("Faces-Request", "partial/ajax")
                .header("X-Requested-With", "XMLHttpRequest")
                .build());
        Matcher m = PARTIAL_VIEW_STATE.matcher(answer.body());
        if (m.find()) {
            viewState = m.group(1);
        }
        return answer;
    }

    private HttpRequest.Builder post(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return request(path)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
