package pomf.reporting.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

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

    @Test
    void typesAreNamedAsInPostgresqlAndUnknownNamesAreRefused() {
        for (ParamType type : ParamType.values()) {
            assertThat(ParamType.of(type.sqlName())).isSameAs(type);
        }
        assertThat(ParamType.of("timestamptz").javaType()).isEqualTo(OffsetDateTime.class);
        assertThatThrownBy(() -> ParamType.of("bigint"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown parameter type bigint (timestamptz, date, integer, text)");
        // The names are PostgreSQL's spelling exactly: no case folding, no aliases.
        assertThatThrownBy(() -> ParamType.of("DATE")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParamType.of("int")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyParsedValueIsOfItsTypesJavaType() {
        assertThat(ParamType.TIMESTAMPTZ.parse("2026-11-01")).isInstanceOf(ParamType.TIMESTAMPTZ.javaType());
        assertThat(ParamType.DATE.parse("2026-11-01")).isInstanceOf(ParamType.DATE.javaType());
        assertThat(ParamType.INTEGER.parse("7")).isInstanceOf(ParamType.INTEGER.javaType());
        assertThat(ParamType.TEXT.parse("x")).isInstanceOf(ParamType.TEXT.javaType());
    }

    @Test
    void integersReachBothEndsOfTheRangeAndNoFurther() {
        assertThat(ParamType.INTEGER.parse("2147483647")).isEqualTo(Integer.MAX_VALUE);
        assertThat(ParamType.INTEGER.parse("-2147483648")).isEqualTo(Integer.MIN_VALUE);
        assertThatThrownBy(() -> ParamType.INTEGER.parse("2147483648"))
                .hasMessage("expected a whole number between -2147483648 and 2147483647, got \"2147483648\"");
        assertThatThrownBy(() -> ParamType.INTEGER.parse("1.5")).hasMessageContaining("got \"1.5\"");
    }

    @Test
    void textIsKeptAsTypedUpToItsLimit() {
        assertThat(ParamType.TEXT.parse("  padded  ")).isEqualTo("  padded  ");
        assertThat(ParamType.TEXT.parse(null)).isEqualTo("");
        String longest = "y".repeat(ParamType.MAX_TEXT);
        assertThat(ParamType.TEXT.parse(longest)).isEqualTo(longest);
        assertThatThrownBy(() -> ParamType.TEXT.parse(longest + "y")).hasMessage("longer than 1000 characters");
    }

    @Test
    void aMissingValueOfATypedParameterIsRefusedAsEmpty() {
        assertThatThrownBy(() -> ParamType.INTEGER.parse(null)).hasMessageEndingWith("got \"\"");
        assertThatThrownBy(() -> ParamType.DATE.parse("   "))
                .hasMessage("expected a date such as 2026-11-01, got \"\"");
        assertThatThrownBy(() -> ParamType.TIMESTAMPTZ.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("got \"\"");
    }

    @Test
    void aLongBadValueIsShownCutAfterFortyCharacters() {
        String typed = "1234567890".repeat(5);
        assertThatThrownBy(() -> ParamType.INTEGER.parse(typed))
                .hasMessageEndingWith("got \"" + typed.substring(0, 40) + "...\"");
    }

    @Test
    void aSpaceBetweenDateAndTimeAndAnOffsetTogetherAreUnderstood() {
        assertThat(ParamType.TIMESTAMPTZ.parse("2026-11-01 10:30-05:00"))
                .isEqualTo(OffsetDateTime.parse("2026-11-01T15:30Z"));
        assertThat(ParamType.TIMESTAMPTZ.parse("2026-12-31T23:30:00.123456-01:00"))
                .isEqualTo(OffsetDateTime.parse("2027-01-01T00:30:00.123456Z"));
        // An offset without its colon is not one of the documented forms.
        assertThatThrownBy(() -> ParamType.TIMESTAMPTZ.parse("2026-11-01T10:30+0100"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
