package pomf.reporting.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.deployments.Database;
import pomf.it.deployments.Deployments;

/** {@code /api/v1/reports} over HTTP: list, run as JSON and CSV, and the refusals, against the real WAR. */
@ExtendWith(ArquillianExtension.class)
class ReportsApiIT {
    static final String TOKEN = "reports-it-token";
    static final String NODE = "rapi-" + ThreadLocalRandom.current().nextInt(1_000_000);
    static final String FORMULA = "=cmd|' /C calc'!A0";
    static final String PERIOD = "from=2020-03-01&to=2020-03-02";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static boolean loaded;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.origin(Deployments.newStorage(), Map.of("pomf.api.token", TOKEN));
    }

    /** A kill and a revival in March 2020, a month no other test writes to. */
    static synchronized void load() {
        if (!loaded) {
            Database.execute(
                    "insert into node_event (node_name, kind, reason, actor, at) values"
                            + " (?, 'kill', ?, 'reports IT', '2020-03-01 10:00:00+00'),"
                            + " (?, 'revive', 'back', 'reports IT', '2020-03-01 10:15:00+00')",
                    NODE,
                    FORMULA,
                    NODE);
            loaded = true;
        }
    }

    @Test
    void listNamesEveryReportWithItsParametersAndChart() {
        HttpResponse<String> response = get("/api/v1/reports", TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray reports = json(response).getJsonArray("reports");
        assertThat(reports.size()).isGreaterThanOrEqualTo(10);
        JsonObject events = reports.stream()
                .map(JsonObject.class::cast)
                .filter(r -> r.getString("name").equals("node-events"))
                .findFirst()
                .orElseThrow();
        assertThat(events.getString("title")).isEqualTo("Kills and revivals");
        assertThat(events.getString("description")).contains("dead_minutes");
        assertThat(events.getJsonArray("params").getJsonObject(0).getString("name"))
                .isEqualTo("from");
        assertThat(events.getJsonArray("params").getJsonObject(0).getString("type"))
                .isEqualTo("timestamptz");
        assertThat(events.getJsonArray("params").getJsonObject(0).getString("default"))
                .isEqualTo("now() - interval '30 days'");
        assertThat(events.getJsonObject("chart").getString("kind")).isEqualTo("bar");
    }

    @Test
    void runWithParametersAnswersColumnsRowsAndTheValuesUsed() {
        load();
        HttpResponse<String> response = get("/api/v1/reports/node-events?" + PERIOD, TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = json(response);
        assertThat(body.getJsonObject("params").getString("from")).isEqualTo("2020-03-01T00:00Z");
        assertThat(body.getJsonArray("columns").getJsonObject(5).toString())
                .isEqualTo("{\"name\":\"dead_minutes\",\"type\":\"numeric\"}");
        assertThat(body.getJsonArray("rows").toString())
                .isEqualTo(Json.createArrayBuilder()
                        .add(Json.createArrayBuilder()
                                .add("2020-03-01T10:00Z")
                                .add(NODE)
                                .add("kill")
                                .add(FORMULA)
                                .add("reports IT")
                                .add(new java.math.BigDecimal("15.0")))
                        .add(Json.createArrayBuilder()
                                .add("2020-03-01T10:15Z")
                                .add(NODE)
                                .add("revive")
                                .add("back")
                                .add("reports IT")
                                .addNull())
                        .build()
                        .toString());
        assertThat(body.getBoolean("truncated")).isFalse();
    }

    @Test
    void defaultsApplyWhenNoParameterIsGiven() {
        JsonObject body = json(get("/api/v1/reports/strikes-per-node-hour", TOKEN));
        assertThat(body.getJsonObject("params").keySet()).containsExactly("from", "to");
    }

    @Test
    void csvIsAnAttachmentWithGuardedFormulas() {
        load();
        HttpResponse<String> response = get("/api/v1/reports/node-events.csv?" + PERIOD, TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/csv")
                .contains("UTF-8");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"node-events-" + LocalDate.now(ZoneOffset.UTC) + ".csv\"");
        assertThat(response.body())
                .isEqualTo("at,node,kind,reason,actor,dead_minutes\r\n"
                        + "2020-03-01T10:00Z," + NODE + ",kill,'" + FORMULA + ",reports IT,15.0\r\n"
                        + "2020-03-01T10:15Z," + NODE + ",revive,back,reports IT,\r\n");
    }

    @Test
    void aBadParameterIs400NamingIt() {
        HttpResponse<String> response = get("/api/v1/reports/node-events?from=yesterday", TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).getString("detail")).contains("parameter from (timestamptz)");
        assertThat(get("/api/v1/reports/node-events?node=x", TOKEN).statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/reports/node-events?from=2020-03-01&from=2020-03-02", TOKEN)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void sqlInAParameterIsRefusedAndChangesNothing() {
        long uploads = Database.count("select count(*) from upload");
        String junk = URLEncoder.encode("2020-03-01'; delete from upload; --", StandardCharsets.UTF_8);
        HttpResponse<String> response = get("/api/v1/reports/node-events?from=" + junk, TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(get(
                                "/api/v1/reports/top-files-by-bytes.csv?limit="
                                        + URLEncoder.encode("1; select 1", StandardCharsets.UTF_8),
                                TOKEN)
                        .statusCode())
                .isEqualTo(400);
        assertThat(Database.count("select count(*) from upload")).isEqualTo(uploads);
    }

    @Test
    void anUnknownReportIs404() {
        HttpResponse<String> response = get("/api/v1/reports/no-such-report", TOKEN);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).getString("detail")).contains("no-such-report");
        assertThat(get("/api/v1/reports/no-such-report.csv", TOKEN).statusCode())
                .isEqualTo(404);
    }

    @Test
    void withoutTheTokenNothingIsAnswered() {
        assertThat(get("/api/v1/reports", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/reports/node-events.csv?" + PERIOD, "wrong").statusCode())
                .isEqualTo(401);
    }

    private static HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(PomfClient.uri(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
