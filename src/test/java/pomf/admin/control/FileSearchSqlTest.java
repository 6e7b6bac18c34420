package pomf.admin.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class FileSearchSqlTest {

    static FileSearchSql sql(String... pairs) {
        return new FileSearchSql(FileCriteriaTest.parse(pairs));
    }

    @Test
    void likeWildcardsInANameMatchLiterally() {
        assertThat(FileSearchSql.likeEscape("100%_off\\x")).isEqualTo("100\\%\\_off\\\\x");
        FileSearchSql.Statement page = sql("name", "50%_a").page(0, 10);
        assertThat(page.params()).containsExactly("%50\\%\\_a%", 10, 0L);
        assertThat(page.sql()).contains("lower(u.original_name) like lower(?) escape '\\'");
    }

    @Test
    void valuesAreNeverPartOfTheSql() {
        FileSearchSql.Statement page = sql(
                        "name", "o'brien",
                        "storedPrefix", "abc",
                        "address", "203.0.113.0/24",
                        "from", "2025-08-01",
                        "to", "2025-08-02")
                .page(100, 50);
        assertThat(page.sql()).doesNotContain("o'brien", "abc", "203.0.113", "2025");
        assertThat(page.sql().chars().filter(c -> c == '?').count())
                .isEqualTo(page.params().size());
        assertThat(page.params())
                .containsExactly(
                        "abc%",
                        LocalDateTime.of(2025, 8, 3, 0, 0),
                        "%o'brien%",
                        "203.0.113.0/24",
                        LocalDateTime.of(2025, 8, 1, 0, 0),
                        LocalDateTime.of(2025, 8, 3, 0, 0),
                        50,
                        100L);
    }

    @Test
    void uploadFieldsMustHoldForOneAndTheSameUpload() {
        String where = sql("name", "a", "address", "203.0.113.7").cappedCount().sql();
        assertThat(where.split("exists \\(select 1 from upload", -1)).hasSize(2);
        assertThat(where).contains("pomf_inet(u.uploader_address) = cast(? as inet)");
        assertThat(sql("address", "203.0.113.0/24").cappedCount().sql())
                .contains("pomf_inet(u.uploader_address) <<= cast(? as inet)");
    }

    @Test
    void storedNamePrefixEscapesUnderscore() {
        FileSearchSql.Statement count = sql("storedPrefix", "a_b").cappedCount();
        assertThat(count.params()).containsExactly("a\\_b%", FileSearchSql.COUNT_CAP + 1);
        assertThat(sql("stored", "a_b").cappedCount().params()).containsExactly("a_b", FileSearchSql.COUNT_CAP + 1);
    }

    @Test
    void hashPrefixLooksAtTheHashesLongEnough() {
        assertThat(sql("hash", "abcdef").cappedCount().sql()).contains("(f.sha1 like ? or f.sha256 like ?)");
        assertThat(sql("hash", "a".repeat(41)).cappedCount().sql())
                .contains("f.sha256 like ?")
                .doesNotContain("sha1");
        assertThat(sql("hash", "a".repeat(64)).cappedCount().sql()).contains("f.sha256 = ?");
    }

    @Test
    void countStopsAfterTheCap() {
        FileSearchSql.Statement count = sql().cappedCount();
        assertThat(count.sql()).isEqualTo("select count(*) from (select 1 from stored_file f limit ?) c");
        assertThat(count.params()).containsExactly(10_001);
    }

    @Test
    void pagesAreOrderedByTheSortWithAUniqueTiebreak() {
        assertThat(sql().page(0, 50).sql())
                .contains("order by f.created_at desc, f.id desc limit ? offset ?")
                .endsWith("order by p.created_at desc, p.id desc");
        assertThat(sql("sort", "size").page(0, 50).sql()).contains("order by f.size, f.id limit");
        assertThat(sql("sort", "-name").page(0, 50).sql()).endsWith("order by p.name desc");
    }

    @Test
    void anUpperDateBoundAlsoBoundsTheStoredFiles() {
        assertThat(sql("to", "2025-08-02").cappedCount().sql()).contains("f.created_at < ?");
    }
}
