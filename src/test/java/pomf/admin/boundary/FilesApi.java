package pomf.admin.boundary;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import pomf.it.clients.PomfClient;

/** Calls of the admin JSON API with the token FilesIT's deployment is given, and uploads from a given address. */
final class FilesApi {
    static final String TOKEN = "files-it-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FilesApi() {}

    static HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    static HttpResponse<String> search(Map<String, String> query) {
        return get("/api/v1/files?"
                + query.entrySet().stream()
                        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&")));
    }

    static HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    static HttpResponse<String> post(String path, String json) {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** An upload whose client, behind the trusted local proxy, is {@code address}. */
    static HttpResponse<String> upload(String address, String filename, byte[] bytes) {
        PomfClient.Multipart body = new PomfClient.Multipart().file(filename, bytes);
        return send(HttpRequest.newBuilder(PomfClient.uri("/upload.php"))
                .header("X-Forwarded-For", address)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())));
    }

    /** The stored name an accepted upload got. */
    static String storedName(HttpResponse<String> upload) {
        String url = json(upload).getJsonArray("files").getJsonObject(0).getString("url");
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(PomfClient.uri(path)).header("Authorization", "Bearer " + TOKEN);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
