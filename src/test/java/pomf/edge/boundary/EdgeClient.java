package pomf.edge.boundary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import pomf.it.clients.PomfClient;

/** Requests to the edge under test, with the cache status each answer reports. */
final class EdgeClient {
    private static final HttpClient HTTP =
            // HTTP/1.1 as browsers, curl and ShareX speak to a plain-HTTP host. Left to its default, Java's client asks
            // to switch to h2c on every new connection, which the listener does not offer: Grizzly then answers on
            // the servlet path and closes the connection (BadInputIT and TrafficIT test those requests).
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();

    private EdgeClient() {}

    static HttpResponse<byte[]> get(String name, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(PomfClient.uri("/f/" + name))
                .timeout(Duration.ofSeconds(60))
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> head(String name) {
        return send(
                HttpRequest.newBuilder(PomfClient.uri("/f/" + name))
                        .timeout(Duration.ofSeconds(60))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<InputStream> stream(String name) {
        return send(
                HttpRequest.newBuilder(PomfClient.uri("/f/" + name))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    static String status(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache-Status").orElse("(none)");
    }

    static HttpResponse<String> purge(String name, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(PomfClient.uri("/api/v1/edge/purge/" + name))
                .DELETE();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return HTTP.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
