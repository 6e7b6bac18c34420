package pomf.admin.entity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    @Test
    void everyResultButNotFoundMeansTheItemWasFound() {
        assertThat(new Outcome("abc.png", "not_found", null).found()).isFalse();
        assertThat(new Outcome("abc.png", "deleted", null).found()).isTrue();
        assertThat(new Outcome("abc.png", "error", "disk full").found()).isTrue();
        assertThat(new Outcome("abc.png", "banned", null).found()).isTrue();
    }

    @Test
    void anOutcomeIsWrittenWithItsDetailOrNull() {
        assertThat(new Outcome("abc.png", "error", "disk full").toJson().toString())
                .isEqualTo("{\"target\":\"abc.png\",\"result\":\"error\",\"detail\":\"disk full\"}");
        assertThat(new Outcome("abc.png", "deleted", null).toJson().get("detail"))
                .isEqualTo(JsonValue.NULL);
    }
}
