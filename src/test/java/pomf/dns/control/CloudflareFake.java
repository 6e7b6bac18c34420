package pomf.dns.control;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One zone of Cloudflare's v4 DNS records API: list with {@code type}, {@code name} and pages ({@code result_info}),
 * POST, DELETE by id, every answer in the v4 envelope. As the service does: a bearer token is checked (403 with 9109
 * for a wrong one, 10000 for a zone it may not touch), an identical record is refused with 81057 (or 81058), a missing one is
 * 404 with 81044, names are stored in lower case. Plain HTTP on 127.0.0.1, a free port.
 *
 * <p>Pages are small (5 records at most by default, whatever per_page asks) so that paging is exercised. Faults for
 * the next calls: 429 with Retry-After, or an HTTP status with an HTML page as Cloudflare's edge sends.
 */
public final class CloudflareFake implements AutoCloseable {
    public record Record(String id, String type, String name, String content, int ttl, boolean proxied) {}

    private final String token;
    private final String zoneId;
    private final CloudflareFakeZone zone;
    private final CloudflareFakeFaults faults = new CloudflareFakeFaults();
    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    private final AtomicReference<Runnable> afterNextList = new AtomicReference<>();
    private final FakeHttp http;

    private CloudflareFake(String token, String zoneId, String zoneName) {
        this.token = token;
        this.zoneId = zoneId;
        this.zone = new CloudflareFakeZone(zoneId, zoneName);
        this.http = new FakeHttp("/client/v4/", this::handle);
    }

    public static CloudflareFake start(String token, String zoneId, String zoneName) {
        return new CloudflareFake(token, zoneId, zoneName);
    }

    /** {@code http://127.0.0.1:PORT/client/v4}, the provider's API base. */
    public URI apiBase() {
        return URI.create(http.base() + "/client/v4");
    }

    /** Adds a record as the dashboard would; returns its id. */
    public String record(String type, String name, String content) {
        return zone.add(type, name, content, 1, false);
    }

    public List<Record> records() {
        return zone.records();
    }

    /** Deletes a record as someone else would, behind the provider's back. */
    public void delete(String id) {
        zone.delete(id);
    }

    /** Runs once, right after the next list is answered: a change made between a provider's list and its next call. */
    public CloudflareFake afterNextList(Runnable action) {
        afterNextList.set(action);
        return this;
    }

    /**
     * The error an identical POST gets: 81057 "The record already exists." (the default, as older reports show) or
     * 81058 "An identical record already exists." (what the API answers in reports from 2024 on).
     */
    public CloudflareFake duplicateError(int code, String message) {
        zone.duplicate(code, message);
        return this;
    }

    /** The most records one page holds, whatever per_page asks for. */
    public CloudflareFake perPageMax(int max) {
        zone.perPageMax(max);
        return this;
    }

    public CloudflareFakeFaults faults() {
        return faults;
    }

    /** Requests by method (GET, POST, DELETE), whatever their outcome. */
    public int calls(String method) {
        return calls.getOrDefault(method, 0);
    }

    @Override
    public void close() {
        http.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            calls.merge(exchange.getRequestMethod(), 1, Integer::sum);
            CloudflareFakeFaults.Fault fault = faults.next();
            if (fault != null) {
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", fault.retryAfter());
                }
                FakeHttp.respond(exchange, fault.status(), fault.contentType(), fault.body());
                return;
            }
            CloudflareFakeZone.Answer answer = answer(exchange);
            FakeHttp.respond(
                    exchange, answer.status(), "application/json", answer.body().toString());
        }
    }

    private CloudflareFakeZone.Answer answer(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            return CloudflareFakeZone.failure(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers");
        }
        if (!authorization.equals("Bearer " + token)) {
            return CloudflareFakeZone.failure(403, 9109, "Invalid access token");
        }
        String[] path = exchange.getRequestURI()
                .getPath()
                .substring("/client/v4/".length())
                .split("/");
        if (path.length < 3 || !path[0].equals("zones") || !path[2].equals("dns_records")) {
            return CloudflareFakeZone.failure(404, 7000, "No route for that URI");
        }
        if (!path[1].equals(zoneId)) {
            return CloudflareFakeZone.failure(403, 10000, "Authentication error");
        }
        String method = exchange.getRequestMethod();
        if (path.length == 3 && method.equals("GET")) {
            Map<String, String> query = new HashMap<>();
            FakeHttp.decode(exchange.getRequestURI().getRawQuery(), query);
            CloudflareFakeZone.Answer answer = zone.list(query);
            Runnable after = afterNextList.getAndSet(null);
            if (after != null) {
                after.run();
            }
            return answer;
        }
        if (path.length == 3 && method.equals("POST")) {
            JsonObject body = read(FakeHttp.body(exchange));
            return body == null
                    ? CloudflareFakeZone.failure(400, 6007, "Malformed JSON in request body")
                    : zone.create(body);
        }
        if (path.length == 4 && method.equals("DELETE")) {
            return zone.delete(path[3]);
        }
        return CloudflareFakeZone.failure(405, 10405, "Method not allowed for this path");
    }

    private static JsonObject read(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }
}
