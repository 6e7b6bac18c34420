package pomf.time.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @Test
    void everyUnitReads() {
        assertThat(Durations.parse("45s")).contains(Duration.ofSeconds(45));
        assertThat(Durations.parse("10m")).contains(Duration.ofMinutes(10));
        assertThat(Durations.parse(" 1H ")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("7 d")).contains(Duration.ofDays(7));
        assertThat(Durations.parse("2w")).contains(Duration.ofDays(14));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "never", "NONE", "0"})
    void noneIsEmpty(String value) {
        assertThat(Durations.parse(value)).isEmpty();
    }

    @Test
    void nothingIsEmptyToo() {
        assertThat(Durations.parse(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "10", "0m", "1y", "-1h", "1234567s", "1.5h"})
    void anythingElseSaysWhatIsExpected(String value) {
        assertThatThrownBy(() -> Durations.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("30m, 1h, 1d, 7d, 2w");
    }
}
