package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetentionCurveTest {
    private static final long MIB = 1 << 20;
    private final RetentionCurve curve = new RetentionCurve(Duration.ofDays(30), Duration.ofDays(365), 512 * MIB);

    @Test
    void smallFilesAreKeptLongestAndAFileOfTheLimitShortest() {
        assertThat(curve.lifetime(0)).isEqualTo(Duration.ofDays(365));
        assertThat(curve.lifetime(512 * MIB)).isEqualTo(Duration.ofDays(30));
        assertThat(curve.lifetime(10 * 512 * MIB))
                .as("past the limit: the minimum")
                .isEqualTo(Duration.ofDays(30));
    }

    @Test
    void theCurveIs0x0sCube() {
        // Half the limit: 30 + 335 * 0.5^3 = 71.875 days. A quarter: 30 + 335 * 0.75^3 = 171.328125 days.
        assertThat(curve.lifetime(256 * MIB)).isEqualTo(Duration.ofSeconds(Math.round(71.875 * 86_400)));
        assertThat(curve.lifetime(128 * MIB)).isEqualTo(Duration.ofSeconds(Math.round(171.328125 * 86_400)));
        assertThat(curve.lifetime(MIB)).isBetween(Duration.ofDays(363), Duration.ofDays(365));
    }

    @Test
    void aMinimumAboveTheMaximumIsAConfigurationError() {
        assertThatThrownBy(() -> new RetentionCurve(Duration.ofDays(30), Duration.ofDays(7), MIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pomf.upload.retention.min and max");
    }
}
