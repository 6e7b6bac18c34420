package pomf.csv.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void aCellIsQuotedOnlyWhereItMustBe() {
        assertThat(Csv.cell("plain a=b")).isEqualTo("plain a=b");
        assertThat(Csv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.cell("")).isEmpty();
    }

    @Test
    void quotedQuotesEveryValueAndDoublesInnerQuotes() {
        assertThat(Csv.quoted("plain")).isEqualTo("\"plain\"");
        assertThat(Csv.quoted("say \"hi\", ok")).isEqualTo("\"say \"\"hi\"\", ok\"");
        assertThat(Csv.quoted("\"")).isEqualTo("\"\"\"\"");
        assertThat(Csv.quoted("line\r\nbreak")).isEqualTo("\"line\r\nbreak\"");
        assertThat(Csv.quoted("")).isEqualTo("\"\"");
    }

    @Test
    void aValueASpreadsheetWouldRunAsAFormulaIsPrefixed() {
        assertThat(Csv.quoted("=1+2")).isEqualTo("\"'=1+2\"");
        assertThat(Csv.quoted("+1")).isEqualTo("\"'+1\"");
        assertThat(Csv.quoted("-1")).isEqualTo("\"'-1\"");
        assertThat(Csv.quoted("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(Csv.quoted("=\"x\"")).isEqualTo("\"'=\"\"x\"\"\"");
        assertThat(Csv.quoted("\tx")).isEqualTo("\"'\tx\"");
        assertThat(Csv.quoted("a=1")).isEqualTo("\"a=1\"");
    }
}
