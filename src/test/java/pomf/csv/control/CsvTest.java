package pomf.csv.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void aFormulaIsWrittenAsText() {
        for (String formula : new String[] {"=1+1", "+1", "-2+3", "@SUM(A1)", "\tx"}) {
            assertThat(Csv.cell(formula)).isEqualTo("'" + formula);
            assertThat(Csv.quoted(formula)).isEqualTo("\"'" + formula + "\"");
        }
        assertThat(Csv.cell("\rx")).isEqualTo("\"'\rx\"");
    }

    @Test
    void quotesAreDoubledAndOnlyNeededOnesAdded() {
        assertThat(Csv.cell("plain a=b")).isEqualTo("plain a=b");
        assertThat(Csv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(Csv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(Csv.quoted("plain")).isEqualTo("\"plain\"");
        assertThat(Csv.quoted("")).isEqualTo("\"\"");
        assertThat(Csv.cell("")).isEmpty();
    }
}
