package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import pomf.upload.entity.UploadRejectedException;

class ExpiryTest {
    private static final Duration NO_CAP = Duration.ZERO;

    @Test
    void everyUnitIsParsed() {
        assertThat(Expiry.parse("45s")).contains(Duration.ofSeconds(45));
        assertThat(Expiry.parse("30m")).contains(Duration.ofMinutes(30));
        assertThat(Expiry.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Expiry.parse("7d")).contains(Duration.ofDays(7));
        assertThat(Expiry.parse("2w")).contains(Duration.ofDays(14));
        assertThat(Expiry.parse("999999w")).contains(Duration.ofDays(7L * 999_999));
    }

    @Test
    void caseAndSurroundingOrInnerSpacesAreTolerated() {
        assertThat(Expiry.parse(" 1D ")).contains(Duration.ofDays(1));
        assertThat(Expiry.parse("12 h")).contains(Duration.ofHours(12));
        assertThat(Expiry.parse("007m")).contains(Duration.ofMinutes(7));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", "never", "NEVER", "none", "0"})
    void absentOrNeverMeansNoExpiry(String value) {
        assertThat(Expiry.parse(value)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "garbage",
                "1",
                "d",
                "1y",
                "1.5h",
                "-1d",
                "0d",
                "0m",
                "1d2h",
                "1234567d",
                "1 d x",
                "1dd",
                "PT1H",
                "١d"
            })
    void garbageIsRefusedWithStatus400(String value) {
        assertThatThrownBy(() -> Expiry.parse(value))
                .isInstanceOfSatisfying(UploadRejectedException.class, e -> assertThat(e.status())
                        .isEqualTo(400))
                .hasMessageContaining("Invalid expiry");
    }

    @Test
    void sentValueWinsOverTheDefault() {
        assertThat(Expiry.choose("1h", "7d", NO_CAP)).contains(Duration.ofHours(1));
    }

    @Test
    void defaultIsUsedWhenTheFieldIsAbsentOrBlank() {
        assertThat(Expiry.choose(null, "7d", NO_CAP)).contains(Duration.ofDays(7));
        assertThat(Expiry.choose("  ", "7d", NO_CAP)).contains(Duration.ofDays(7));
        assertThat(Expiry.choose(null, "", NO_CAP)).isEmpty();
    }

    @Test
    void neverSentExplicitlyOverridesTheDefaultWithoutACap() {
        assertThat(Expiry.choose("never", "7d", NO_CAP)).isEmpty();
    }

    @Test
    void capShortensLongerLifetimes() {
        Duration cap = Duration.ofDays(30);

        assertThat(Expiry.choose("52w", "", cap)).contains(cap);
        assertThat(Expiry.choose("31d", "", cap)).contains(cap);
        assertThat(Expiry.choose("30d", "", cap)).contains(cap);
        assertThat(Expiry.choose("29d", "", cap)).contains(Duration.ofDays(29));
    }

    @Test
    void capAppliesToFilesThatWouldNeverExpire() {
        Duration cap = Duration.ofDays(30);

        assertThat(Expiry.choose(null, "", cap)).contains(cap);
        assertThat(Expiry.choose("never", "", cap)).contains(cap);
        assertThat(Expiry.choose(null, "90d", cap)).contains(cap);
    }

    @Test
    void zeroOrNegativeCapMeansNoCap() {
        assertThat(Expiry.choose("52w", "", Duration.ZERO)).contains(Duration.ofDays(364));
        assertThat(Expiry.choose(null, "", Duration.ofSeconds(-1))).isEqualTo(Optional.empty());
    }

    @Test
    void garbageIsRefusedEvenWhenACapWouldApply() {
        assertThatThrownBy(() -> Expiry.choose("soon", "", Duration.ofDays(1)))
                .isInstanceOf(UploadRejectedException.class);
        assertThatThrownBy(() -> Expiry.choose(null, "bad default", NO_CAP))
                .isInstanceOf(UploadRejectedException.class);
    }
}
