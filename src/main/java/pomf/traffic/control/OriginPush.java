package pomf.traffic.control;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import pomf.http.control.Bearer;
import pomf.traffic.entity.Batch;

/**
 * An edge's sink: POSTs each batch to the origin's {@code /api/v1/traffic} with the shared token. A 400 refuses the
 * batch for good; any other failure (no answer, 401, 5xx) leaves it for the next flush.
 */
public final class OriginPush implements BatchSink {
    private final HttpClient http;
    private final URI endpoint;
    private final String token;
    private final Duration timeout;

    public OriginPush(String originUrl, String token, Duration timeout) {
        String base = originUrl.endsWith("/") ? originUrl.substring(0, originUrl.length() - 1) : originUrl;
        this.endpoint = URI.create(base + "/api/v1/traffic");
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) /* our nodes offer no h2c */
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void write(Batch batch) throws IOException, InterruptedException, RejectedBatch {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", Bearer.of(token))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BatchJson.write(batch)))
                .build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 400) {
            throw new RejectedBatch("the origin refused traffic batch " + batch.id() + ": " + answer.body());
        }
        if (answer.statusCode() != 200) {
            throw new IOException("the origin answered " + answer.statusCode() + " to " + endpoint);
        }
    }
}
