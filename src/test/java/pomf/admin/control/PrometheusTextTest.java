package pomf.admin.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pomf.admin.entity.EdgeFigures;

class PrometheusTextTest {
    /** As Payara 6 serves an edge's application metrics. */
    static final String EDGE = """
            # HELP pomf_edge_answers
            # TYPE pomf_edge_answers gauge
            pomf_edge_answers{mp_scope="application",status="HIT"} 12
            pomf_edge_answers{mp_scope="application",status="MISS"} 3.0
            pomf_edge_answers{mp_scope="application",status="STALE"} 0
            # TYPE pomf_edge_bytes_from_cache gauge
            pomf_edge_bytes_from_cache{mp_scope="application"} 1.2345678E7
            pomf_edge_bytes_from_origin{mp_scope="application"} 4096
            pomf_edge_hit_ratio{mp_scope="application"} 0.8
            pomf_edge_store_bytes{mp_scope="application"} 65536
            pomf_edge_origin_up{mp_scope="application"} 1
            base_memory_usedHeap_bytes{mp_scope="base"} 2.5E8
            """;

    @Test
    void samplesCarryNameLabelsAndValue() {
        List<PrometheusText.Sample> samples = PrometheusText.parse(EDGE);
        assertThat(samples).hasSize(9);
        assertThat(samples.get(0))
                .isEqualTo(new PrometheusText.Sample(
                        "pomf_edge_answers", Map.of("mp_scope", "application", "status", "HIT"), 12));
        assertThat(samples.get(3).value()).isEqualTo(12_345_678);
    }

    @Test
    void labelValuesAreUnescapedAndTimestampsIgnored() {
        var sample = PrometheusText.sample("m{a=\"x\\\"y\",b=\"c,d}\",c=\"1\\\\2\\n\"} 5 1700000000000")
                .orElseThrow();
        assertThat(sample.labels())
                .containsExactly(Map.entry("a", "x\"y"), Map.entry("b", "c,d}"), Map.entry("c", "1\\2\n"));
        assertThat(sample.value()).isEqualTo(5);
    }

    @Test
    void specialValuesAreNumbers() {
        assertThat(PrometheusText.sample("m +Inf").orElseThrow().value()).isInfinite();
        assertThat(PrometheusText.sample("m NaN").orElseThrow().value()).isNaN();
        assertThat(PrometheusText.sample("m -Inf").orElseThrow().value()).isNegative();
    }

    @Test
    void malformedLinesAreSkipped() {
        assertThat(PrometheusText.parse("m{a=\"open 1\n{x=\"1\"} 2\nm{a=1} 3\nm abc\n\n# c\nok 4\r\n"))
                .containsExactly(new PrometheusText.Sample("ok", Map.of(), 4));
    }

    @Test
    void edgeFiguresComeFromTheEdgeMetrics() {
        EdgeFigures figures = EdgeScrape.figures("http://e1", EDGE);
        assertThat(figures.error()).isNull();
        assertThat(figures.answers())
                .containsExactly(Map.entry("HIT", 12L), Map.entry("MISS", 3L), Map.entry("STALE", 0L));
        assertThat(figures.bytesFromCache()).isEqualTo(12_345_678);
        assertThat(figures.bytesFromOrigin()).isEqualTo(4096);
        assertThat(figures.hitRatio()).isEqualTo(0.8);
        assertThat(figures.storeBytes()).isEqualTo(65536);
        assertThat(figures.originUp()).isTrue();
        assertThat(figures.toJson().getBoolean("reachable")).isTrue();
    }

    @Test
    void anInstanceWithoutEdgeMetricsIsReportedAsNotAnEdge() {
        EdgeFigures figures = EdgeScrape.figures("http://origin", "base_memory_usedHeap_bytes 1\n");
        assertThat(figures.error()).contains("not an edge");
        assertThat(figures.toJson().getBoolean("reachable")).isFalse();
    }
}
