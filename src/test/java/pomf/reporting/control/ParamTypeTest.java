package pomf.reporting.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import pomf.reporting.entity.ParamType;

class ParamTypeTest {
    @Test
    void timestampsWithoutOffsetAreUtc() {
        assertThat(ParamType.TIMESTAMPTZ.parse("2026-11-01")).isEqualTo(OffsetDateTime.parse("2026-11-01T00:00Z"));
        assertThat(ParamType.TIMESTAMPTZ.parse(" 2026-11-01 10:30 "))
                .isEqualTo(OffsetDateTime.parse("2026-11-01T10:30Z"));
        assertThat(ParamType.TIMESTAMPTZ.parse("2026-11-01T10:30:15"))
                .isEqualTo(OffsetDateTime.parse("2026-11-01T10:30:15Z"));
        assertThat(ParamType.TIMESTAMPTZ.parse("2026-11-01T10:30+02:00"))
                .isEqualTo(OffsetDateTime.parse("2026-11-01T08:30Z"));
        assertThat(ParamType.TIMESTAMPTZ.parse("2026-11-01T10:30Z"))
                .isEqualTo(OffsetDateTime.parse("2026-11-01T10:30Z"));
    }

    @Test
    void badValuesAreRefusedWithWhatWasExpected() {
        assertThatThrownBy(() -> ParamType.TIMESTAMPTZ.parse("yesterday")).hasMessageContaining("2026-11-01T10:00");
        assertThatThrownBy(() -> ParamType.TIMESTAMPTZ.parse("2026-13-01")).hasMessageContaining("\"2026-13-01\"");
        assertThatThrownBy(() -> ParamType.DATE.parse("2026-02-30")).hasMessageContaining("expected a date");
        assertThatThrownBy(() -> ParamType.INTEGER.parse("1 or 1=1")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ParamType.INTEGER.parse("99999999999")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ParamType.TEXT.parse("a\0b")).hasMessageContaining("NUL");
        assertThatThrownBy(() -> ParamType.TEXT.parse("x".repeat(1001))).hasMessageContaining("longer than");
    }

    @Test
    void goodValuesParse() {
        assertThat(ParamType.DATE.parse("2026-02-28")).isEqualTo(LocalDate.of(2026, 2, 28));
        assertThat(ParamType.INTEGER.parse(" -20 ")).isEqualTo(-20);
        assertThat(ParamType.TEXT.parse("'; drop table upload; --")).isEqualTo("'; drop table upload; --");
        assertThat(ParamType.of("date")).isEqualTo(ParamType.DATE);
    }

    /**
     * Fuzzing finding (issue 14): a date and time that parses but lies past the last instant Java can hold once
     * moved to UTC ({@code +999999999-12-31T23:59-18:00}) escaped as a DateTimeException, not the documented
     * IllegalArgumentException, so the report API answered 500 instead of naming the parameter.
     */
    @Test
    void aTimeBeyondTheRangeIsRefusedLikeAnyBadValue() {
        assertThatThrownBy(() -> ParamType.TIMESTAMPTZ.parse("+999999999-12-31T23:59:59-18:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected a date and time");
        assertThatThrownBy(() -> ParamType.TIMESTAMPTZ.parse("-999999999-01-01T00:00+18:00"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
