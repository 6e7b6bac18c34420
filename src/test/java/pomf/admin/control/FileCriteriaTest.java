package pomf.admin.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pomf.problem.entity.ProblemException;

class FileCriteriaTest {

    static FileCriteria parse(String... pairs) {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return FileCriteria.parse(fields);
    }

    @Test
    void noFieldsListEverythingNewestFirst() {
        FileCriteria all = parse();
        assertThat(all).isEqualTo(FileCriteria.all());
        assertThat(all.sort()).isEqualTo(FileSort.CREATED_DESC);
    }

    @Test
    void blankFieldsCountAsAbsent() {
        assertThat(parse("name", "  ", "hash", "", "sort", "")).isEqualTo(FileCriteria.all());
    }

    @Test
    void everyFieldIsReadAndNormalised() {
        FileCriteria c = parse(
                "name", " Holiday ",
                "stored", "abcdef.png",
                "storedPrefix", "ab_c",
                "hash", "ABCDEF12",
                "from", "2025-08-01",
                "to", "2025-08-03",
                "address", "203.0.113.0/24",
                "sort", "size");
        assertThat(c.name()).isEqualTo("Holiday");
        assertThat(c.stored()).isEqualTo("abcdef.png");
        assertThat(c.storedPrefix()).isEqualTo("ab_c");
        assertThat(c.hash()).isEqualTo("abcdef12");
        assertThat(c.from()).isEqualTo(LocalDateTime.of(2025, 8, 1, 0, 0));
        assertThat(c.to()).as("a date as upper bound includes its day").isEqualTo(LocalDateTime.of(2025, 8, 4, 0, 0));
        assertThat(c.addressIsRange()).isTrue();
        assertThat(c.sort()).isEqualTo(FileSort.SIZE_ASC);
    }

    @Test
    void dateTimesWithOffsetsBecomeUtc() {
        FileCriteria c = parse("from", "2025-08-03T12:00:00+02:00", "to", "2025-08-03T11:00:00Z");
        assertThat(c.from()).isEqualTo(LocalDateTime.of(2025, 8, 3, 10, 0));
        assertThat(c.to()).isEqualTo(LocalDateTime.of(2025, 8, 3, 11, 0));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "hash|abcde",
                "hash|xyz123456",
                "hash|" + "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3",
                "from|2025-13-01",
                "from|yesterday",
                "to|2025-08-03T10:00:00",
                "address|203.0.113.0/33",
                "address|203.0.113.0/",
                "address|203.0.113.0/-1",
                "address|203.0.113",
                "address|1.2.3.999",
                "address|example.com",
                "address|::1/129",
                "address|203.0.113.0/24/8",
                "stored|../etc/passwd",
                "stored|name with space",
                "storedPrefix|a%",
                "stored|" + "a123456789a123456789a123456789a1234567890",
                "sort|created_at; drop table upload",
                "sort|-",
                "sort|Size",
                "hsah|abcdef"
            })
    void malformedFieldsAreRefusedNamingTheField(String field, String value) {
        assertThatThrownBy(() -> parse(field, value))
                .isInstanceOf(ProblemException.class)
                .hasMessageStartingWith(field + ": ")
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
    }

    @Test
    void controlCharactersInANameAreRefused() {
        assertThatThrownBy(() -> parse("name", "line\nbreak")).hasMessageStartingWith("name: ");
        assertThatThrownBy(() -> parse("name", "nu\0l")).hasMessageStartingWith("name: ");
    }

    @Test
    void tooLongANameIsRefused() {
        assertThatThrownBy(() -> parse("name", "x".repeat(256))).hasMessageStartingWith("name: ");
        assertThat(parse("name", "x".repeat(255)).name()).hasSize(255);
    }

    @Test
    void fromMustComeBeforeTo() {
        assertThatThrownBy(() -> parse("from", "2025-08-03T10:00:00Z", "to", "2025-08-03T10:00:00Z"))
                .hasMessageStartingWith("to: ");
        assertThat(parse("from", "2025-08-03", "to", "2025-08-03").to()).isAfter(LocalDateTime.of(2025, 8, 3, 0, 0));
    }

    @ParameterizedTest
    @CsvSource({
        "203.0.113.7,false",
        "203.0.113.0/24,true",
        "0.0.0.0/0,true",
        "2001:db8::1,false",
        "2001:DB8::/32,true",
        "::ffff:192.0.2.1,false"
    })
    void addressesAndRangesAreAccepted(String address, boolean range) {
        FileCriteria c = parse("address", address);
        assertThat(c.address()).isEqualToIgnoringCase(address);
        assertThat(c.addressIsRange()).isEqualTo(range);
    }

    @ParameterizedTest
    @CsvSource({
        "-created,CREATED_DESC",
        "created,CREATED_ASC",
        "-size,SIZE_DESC",
        "size,SIZE_ASC",
        "name,NAME_ASC",
        "-name,NAME_DESC"
    })
    void onlyTheWhitelistedSortsExist(String key, FileSort sort) {
        assertThat(parse("sort", key).sort()).isEqualTo(sort);
    }

    @Test
    void hashesOfSixToSixtyFourDigitsAreAccepted() {
        assertThat(parse("hash", "abcdef").hash()).isEqualTo("abcdef");
        assertThat(parse("hash", "a".repeat(64)).hash()).hasSize(64);
    }
}
