package pomf.dns.control;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import pomf.http.control.Bearer;

/**
 * Calls to one zone of Cloudflare's v4 API with a bearer token, answers read from the v4 envelope ({@code success},
 * {@code errors}, {@code messages}, {@code result}, {@code result_info}).
 */
final class CloudflareApi {
    /** One answer. {@code envelope} is empty when the body was not JSON (an HTML error page from the edge). */
    record Answer(int status, Optional<JsonObject> envelope, Optional<String> retryAfter, String body) {
        boolean success() {
            return status / 100 == 2
                    && envelope.map(e -> e.getBoolean("success", false)).orElse(false);
        }

        boolean hasError(int... codes) {
            return envelope.map(e -> e.getJsonArray("errors")).stream()
                    .flatMap(errors -> errors.getValuesAs(JsonObject.class).stream())
                    .mapToInt(error -> error.getInt("code", 0))
                    .anyMatch(code -> Arrays.stream(codes).anyMatch(c -> c == code));
        }

        String errors() {
            return envelope.map(e -> e.getJsonArray("errors"))
                    .map(errors -> errors.getValuesAs(JsonObject.class).stream()
                            .map(error -> error.getInt("code", 0) + " " + error.getString("message", ""))
                            .collect(Collectors.joining("; ")))
                    .orElse("");
        }
    }

    private final String zone;
    private final String records;
    private final String token;
    private final DnsHttp http;

    CloudflareApi(URI apiBase, String token, String zoneId, Duration timeout) {
        if (apiBase == null || token == null || token.isBlank() || zoneId == null || zoneId.isBlank()) {
            throw new IllegalArgumentException("Cloudflare: the API base, the token and the zone id are required");
        }
        String base = apiBase.toString().replaceAll("/+$", "");
        this.zone = zoneId;
        this.records = base + "/zones/" + URLEncoder.encode(zoneId, StandardCharsets.UTF_8) + "/dns_records";
        this.token = token;
        this.http = new DnsHttp("Cloudflare", timeout, token);
    }

    /** {@code path} and {@code query} are relative to the zone's dns_records, already encoded. */
    Answer call(String method, String path, JsonObject body) throws DnsException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(records + path))
                .header("Authorization", Bearer.of(token))
                .header("Accept", "application/json")
                .method(method, publisher);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request);
        return new Answer(
                response.statusCode(),
                envelope(response.body()),
                response.headers().firstValue("Retry-After"),
                response.body());
    }

    private static Optional<JsonObject> envelope(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            return value instanceof JsonObject object && object.containsKey("success")
                    ? Optional.of(object)
                    : Optional.empty();
        } catch (JsonException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    /**
     * Why a call failed, and whether to try again. Rate limits (429) and Cloudflare's own failures (5xx) pass;
     * an invalid token (9109), a failed authentication (10000) or a missing permission (401, 403) needs the
     * operator, as does any other refusal of the request.
     */
    DnsException failure(String what, Answer answer) {
        String errors = answer.errors().isEmpty() ? http.snippet(answer.body()) : answer.errors();
        String said = "Cloudflare refused to " + what + " (HTTP " + answer.status() + ": " + errors + ")";
        if (answer.status() == 429) {
            return http.failure(
                    said + ": rate limited"
                            + answer.retryAfter()
                                    .map(s -> ", retry after " + s + " s")
                                    .orElse(""),
                    true);
        }
        if (answer.status() >= 500) {
            return http.failure(said, true);
        }
        if (answer.status() == 401 || answer.status() == 403 || answer.hasError(9109, 10000)) {
            return http.failure(
                    said + ": check the API token (valid, not expired, allowed from this host's IP) and that it"
                            + " has DNS Edit permission on the zone " + zone,
                    false);
        }
        // A 2xx without a successful envelope is not a refusal of the request: worth another try.
        return http.failure(said, answer.status() / 100 == 2);
    }
}
