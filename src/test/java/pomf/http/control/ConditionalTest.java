package pomf.http.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class ConditionalTest {
    private static final String ETAG = "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"";
    /** 2024-03-01T12:00:00.750Z: the stored time has milliseconds, HTTP dates do not. */
    private static final long MODIFIED =
            Instant.parse("2024-03-01T12:00:00.750Z").toEpochMilli();

    private static final Conditional FILE = new Conditional(ETAG, MODIFIED);

    private static String httpDate(String instant) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.parse(instant).atOffset(ZoneOffset.UTC));
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void matchingEtagIsNotModified() {
        assertThat(FILE.notModified(ETAG, -1)).isTrue();
    }

    @Test
    void etagAnywhereInAListMatches() {
        assertThat(FILE.notModified("\"other\", " + ETAG + " ,\"third\"", -1)).isTrue();
        assertThat(FILE.notModified("\"other\",\"third\"", -1)).isFalse();
    }

    @Test
    void starMatchesAnyVersion() {
        assertThat(FILE.notModified("*", -1)).isTrue();
        assertThat(FILE.notModified("\"x\", *", -1)).isTrue();
    }

    @Test
    void weakTagOfTheSameVersionMatchesForIfNoneMatch() {
        assertThat(FILE.notModified("W/" + ETAG, -1)).isTrue();
        assertThat(FILE.notModified("W/\"other\"", -1)).isFalse();
    }

    @Test
    void unquotedOrPartialEtagDoesNotMatch() {
        assertThat(FILE.notModified(ETAG.replace("\"", ""), -1)).isFalse();
        assertThat(FILE.notModified(ETAG.substring(0, 20) + "\"", -1)).isFalse();
    }

    @Test
    void ifNoneMatchWinsOverIfModifiedSince() {
        long later = millis("2030-01-01T00:00:00Z");

        assertThat(FILE.notModified("\"other\"", later)).isFalse();
    }

    @Test
    void ifModifiedSinceComparesWholeSeconds() {
        assertThat(FILE.notModified(null, millis("2024-03-01T12:00:00Z")))
                .as("same second")
                .isTrue();
        assertThat(FILE.notModified(null, millis("2024-03-01T12:00:01Z")))
                .as("later")
                .isTrue();
        assertThat(FILE.notModified(null, millis("2024-03-01T11:59:59Z")))
                .as("earlier")
                .isFalse();
    }

    @Test
    void withoutAnyConditionTheFileIsSent() {
        assertThat(FILE.notModified(null, -1)).isFalse();
    }

    @Test
    void rangeAppliesWithoutIfRange() {
        assertThat(FILE.rangeApplies(null)).isTrue();
    }

    @Test
    void ifRangeWithTheSameStrongEtagKeepsTheRange() {
        assertThat(FILE.rangeApplies(ETAG)).isTrue();
        assertThat(FILE.rangeApplies(" " + ETAG + " ")).isTrue();
    }

    @Test
    void ifRangeWithAnotherOrWeakEtagDropsTheRange() {
        assertThat(FILE.rangeApplies("\"other\"")).isFalse();
        assertThat(FILE.rangeApplies("W/" + ETAG)).isFalse();
    }

    @Test
    void ifRangeWithTheExactDateKeepsTheRange() {
        assertThat(FILE.rangeApplies(httpDate("2024-03-01T12:00:00Z"))).isTrue();
        assertThat(FILE.rangeApplies("Fri, 01 Mar 2024 12:00:00 GMT")).isTrue();
    }

    @Test
    void ifRangeWithAnyOtherDateDropsTheRange() {
        assertThat(FILE.rangeApplies(httpDate("2024-03-01T12:00:01Z"))).isFalse();
        assertThat(FILE.rangeApplies(httpDate("2024-03-01T11:59:59Z"))).isFalse();
    }

    @Test
    void ifRangeThatIsNeitherEtagNorDateDropsTheRange() {
        assertThat(FILE.rangeApplies("yesterday")).isFalse();
        assertThat(FILE.rangeApplies("")).isFalse();
    }

    /**
     * Fuzzing finding (issue 14): a time before 1970 with milliseconds, truncated toward zero, fell in the next
     * second of its own HTTP date, so If-Range with the file's exact date turned the Range off. Seconds are now floored,
     * as HTTP dates are.
     */
    @Test
    void aDateBefore1970MatchesItsOwnSecond() {
        long before1970 = millis("1969-11-09T14:42:24.250Z");
        Conditional old = new Conditional(ETAG, before1970);
        assertThat(old.rangeApplies(httpDate("1969-11-09T14:42:24Z"))).isTrue();
        assertThat(old.rangeApplies(httpDate("1969-11-09T14:42:25Z"))).isFalse();
    }
}
