package pomf.reporting.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pomf.reporting.entity.ReportColumn;
import pomf.reporting.entity.ReportResult;

class CsvWriterTest {
    @Test
    void quotingFollowsRfc4180WithCrlf() throws Exception {
        String csv = write(
                List.of(new ReportColumn("name, full", "text"), new ReportColumn("n", "integer")),
                Arrays.asList("say \"hi\"", 1L),
                Arrays.asList("two\nlines", null),
                Arrays.asList("plain", 3L));
        assertThat(csv).isEqualTo("\"name, full\",n\r\n\"say \"\"hi\"\"\",1\r\n\"two\nlines\",\r\nplain,3\r\n");
    }

    @Test
    void textThatASpreadsheetWouldRunGetsAnApostrophe() {
        assertThat(CsvWriter.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(CsvWriter.cell("+1")).isEqualTo("'+1");
        assertThat(CsvWriter.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(CsvWriter.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvWriter.cell("\tx")).isEqualTo("'\tx");
        assertThat(CsvWriter.cell("\rx")).isEqualTo("\"'\rx\"");
        assertThat(CsvWriter.cell("a=b")).isEqualTo("a=b");
    }

    @Test
    void numbersAndDatesStayAsTheyAre() {
        assertThat(CsvWriter.cell(-5L)).isEqualTo("-5");
        assertThat(CsvWriter.cell(new BigDecimal("-0.060"))).isEqualTo("-0.060");
        assertThat(CsvWriter.cell(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(CsvWriter.cell(-1.5)).isEqualTo("-1.5");
        assertThat(CsvWriter.cell(OffsetDateTime.parse("2026-01-01T10:00Z"))).isEqualTo("2026-01-01T10:00Z");
        assertThat(CsvWriter.cell(LocalDate.of(2026, 1, 1))).isEqualTo("2026-01-01");
        assertThat(CsvWriter.cell(null)).isEmpty();
    }

    @Test
    void headerCellsAreGuardedToo() throws Exception {
        assertThat(write(List.of(new ReportColumn("=x", "text")))).isEqualTo("'=x\r\n");
    }

    @SafeVarargs
    private static String write(List<ReportColumn> columns, List<Object>... rows) throws Exception {
        StringWriter out = new StringWriter();
        CsvWriter.write(new ReportResult("r", "R", Map.of(), columns, List.of(rows), false, Optional.empty()), out);
        return out.toString();
    }
}
