package pomf.upload.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OutputFormatTest {
    @Test
    void noFormatIsJson() {
        assertThat(OutputFormat.parse(null)).contains(OutputFormat.JSON);
        assertThat(OutputFormat.parse("")).contains(OutputFormat.JSON);
    }

    @Test
    void formatsAreNamedInAnyCase() {
        assertThat(OutputFormat.parse("text")).contains(OutputFormat.TEXT);
        assertThat(OutputFormat.parse("GYAZO")).contains(OutputFormat.GYAZO);
        assertThat(OutputFormat.parse("Csv")).contains(OutputFormat.CSV);
        assertThat(OutputFormat.parse("hTmL")).contains(OutputFormat.HTML);
        assertThat(OutputFormat.parse("json")).contains(OutputFormat.JSON);
    }

    @Test
    void casesAreFoldedTheSameInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr")); // where "i".toUpperCase() is "İ"
            assertThat(OutputFormat.parse("gyazo")).contains(OutputFormat.GYAZO);
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void anUnknownFormatIsNone() {
        assertThat(OutputFormat.parse("xml")).isEmpty();
        assertThat(OutputFormat.parse(" json")).isEmpty();
        assertThat(OutputFormat.parse("json,text")).isEmpty();
        assertThat(OutputFormat.parse(" ")).isEmpty();
    }

    @Test
    void theListShownOnARefusalNamesEveryFormat() {
        String all = Arrays.stream(OutputFormat.values())
                .map(f -> f.name().toLowerCase(Locale.ROOT))
                .sorted()
                .collect(Collectors.joining(", "));
        assertThat(OutputFormat.VALID).isEqualTo(all);
    }

    @Test
    void eachFormatHasItsContentTypeInUtf8() {
        assertThat(OutputFormat.JSON.contentType()).isEqualTo("application/json; charset=UTF-8");
        assertThat(OutputFormat.TEXT.contentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(OutputFormat.GYAZO.contentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(OutputFormat.CSV.contentType()).isEqualTo("text/csv; charset=UTF-8");
        assertThat(OutputFormat.HTML.contentType()).isEqualTo("text/html; charset=UTF-8");
    }
}
