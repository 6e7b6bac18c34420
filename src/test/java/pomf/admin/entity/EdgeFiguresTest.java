package pomf.admin.entity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeFiguresTest {
    @Test
    void anEdgeThatDidNotAnswerShowsWhyAndNoFigures() {
        JsonObject json = EdgeFigures.unreachable("http://edge-1:8080", "connect timed out")
                .toJson();

        assertThat(json.keySet()).containsExactly("edge", "reachable", "error");
        assertThat(json.getString("edge")).isEqualTo("http://edge-1:8080");
        assertThat(json.getBoolean("reachable")).isFalse();
        assertThat(json.getString("error")).isEqualTo("connect timed out");
    }

    @Test
    void anEdgeThatAnsweredShowsItsFigures() {
        Map<String, Long> answers = new LinkedHashMap<>();
        answers.put("HIT", 90L);
        answers.put("MISS", 10L);
        EdgeFigures figures = new EdgeFigures("http://edge-1:8080", null, answers, 9_000, 1_000, 0.9, 123_456, true);

        JsonObject json = figures.toJson();

        assertThat(json.getBoolean("reachable")).isTrue();
        assertThat(json.containsKey("error")).isFalse();
        assertThat(json.getJsonObject("answers").getJsonNumber("HIT").longValue())
                .isEqualTo(90);
        assertThat(json.getJsonObject("answers").getJsonNumber("MISS").longValue())
                .isEqualTo(10);
        assertThat(json.getJsonNumber("bytesFromCache").longValue()).isEqualTo(9_000);
        assertThat(json.getJsonNumber("bytesFromOrigin").longValue()).isEqualTo(1_000);
        assertThat(json.getJsonNumber("hitRatio").doubleValue()).isEqualTo(0.9);
        assertThat(json.getJsonNumber("storeBytes").longValue()).isEqualTo(123_456);
        assertThat(json.getBoolean("originUp")).isTrue();
    }

    @Test
    void aHitRatioOfNoAnswersIsWrittenAsZeroNotAsInvalidJson() {
        // 0 hits of 0 answers is NaN, which JSON cannot carry.
        EdgeFigures idle = new EdgeFigures("e", null, Map.of(), 0, 0, 0.0 / 0.0, 0, true);
        EdgeFigures odd = new EdgeFigures("e", null, Map.of(), 0, 0, Double.POSITIVE_INFINITY, 0, false);

        assertThat(idle.toJson().getJsonNumber("hitRatio").doubleValue()).isZero();
        assertThat(odd.toJson().getJsonNumber("hitRatio").doubleValue()).isZero();
        assertThat(idle.toJson().getJsonObject("answers")).isEmpty();
    }
}
