package pomf.admin.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import pomf.admin.control.PrometheusText.Sample;
import pomf.admin.entity.EdgeFigures;

/**
 * Reads every edge's {@code /metrics} at once, with a short timeout so one dead edge delays the cache page by
 * seconds at most; an edge that does not answer is reported as such.
 */
@ApplicationScoped
public class EdgeScrape {
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) /* our nodes offer no h2c */
            .connectTimeout(TIMEOUT)
            .build();

    public List<EdgeFigures> read(List<String> edges) {
        List<CompletableFuture<EdgeFigures>> answers = new ArrayList<>();
        for (String edge : edges) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(edge + "/metrics"))
                    .timeout(TIMEOUT)
                    .header("Accept", "text/plain")
                    .build();
            answers.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 200
                            ? figures(edge, response.body())
                            : EdgeFigures.unreachable(edge, "HTTP " + response.statusCode()))
                    .exceptionally(e ->
                            EdgeFigures.unreachable(edge, String.valueOf(e.getCause() == null ? e : e.getCause()))));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    /** The figures in a metrics text; an instance without the edge's metrics is not an edge. */
    public static EdgeFigures figures(String edge, String metrics) {
        List<Sample> samples = PrometheusText.parse(metrics);
        Map<String, Long> answers = new TreeMap<>();
        samples.stream()
                .filter(s -> s.name().equals("pomf_edge_answers") && s.labels().containsKey("status"))
                .forEach(s -> answers.merge(s.labels().get("status"), (long) s.value(), Long::sum));
        if (answers.isEmpty() && samples.stream().noneMatch(s -> s.name().startsWith("pomf_edge_"))) {
            return EdgeFigures.unreachable(edge, "no pomf_edge_* metrics: not an edge");
        }
        return new EdgeFigures(
                edge,
                null,
                answers,
                (long) value(samples, "pomf_edge_bytes_from_cache"),
                (long) value(samples, "pomf_edge_bytes_from_origin"),
                value(samples, "pomf_edge_hit_ratio"),
                (long) value(samples, "pomf_edge_store_bytes"),
                value(samples, "pomf_edge_origin_up") >= 1);
    }

    private static double value(List<Sample> samples, String name) {
        return samples.stream()
                .filter(s -> s.name().equals(name))
                .mapToDouble(Sample::value)
                .findFirst()
                .orElse(0);
    }
}
