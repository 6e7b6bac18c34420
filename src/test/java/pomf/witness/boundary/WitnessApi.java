package pomf.witness.boundary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import pomf.it.clients.PomfClient;

/** Calls of the witness's JSON API with the administrator token the test deployments are given. */
final class WitnessApi {
    static final String TOKEN = "witness-it-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private WitnessApi() {}

    static HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(PomfClient.uri(path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
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
