package pomf.admin.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.admin.control.FileCriteria;
import pomf.admin.control.FileSearchSql;
import pomf.admin.entity.FileRow;

class FileTableTest {
    private final List<String> queries = new ArrayList<>();
    private long matches;
    private FileTable table;

    /** A catalog that records which queries the table asks for instead of running them. */
    private final FileCatalog catalog = new FileCatalog() {
        @Override
        public List<FileRow> rows(FileCriteria criteria, long offset, int limit) {
            queries.add("rows " + offset + "+" + limit);
            List<FileRow> rows = new ArrayList<>();
            for (long i = offset; i < Math.min(matches, offset + limit); i++) {
                rows.add(new FileRow("f" + i, "sha1", "sha256", i, "text/plain", null, 1, "a.txt", "192.0.2.1", false));
            }
            return rows;
        }

        @Override
        public long cappedCount(FileCriteria criteria) {
            queries.add("count");
            return Math.min(matches, FileSearchSql.COUNT_CAP + 1);
        }
    };

    @BeforeEach
    void page() {
        FilesPage page = new FilesPage();
        page.catalog = catalog;
        page.load();
        table = page.getTable();
    }

    @Test
    void aRenderCountsOnceAndLoadsOnePage() {
        matches = 1_000_000;

        int count = table.count(Map.of());
        List<FileRow> rows = table.load(50, 50, Map.of(), Map.of());

        assertThat(queries).containsExactly("count", "rows 50+50");
        assertThat(count).isEqualTo(FileSearchSql.COUNT_CAP);
        assertThat(table.isCapped()).isTrue();
        assertThat(rows).extracting(FileRow::name).startsWith("f50").hasSize(50);
    }

    @Test
    void aCountAtTheCapIsExactNotCapped() {
        matches = FileSearchSql.COUNT_CAP;

        assertThat(table.count(Map.of())).isEqualTo(FileSearchSql.COUNT_CAP);
        assertThat(table.isCapped()).isFalse();
    }

    @Test
    void noMatchGivesAnEmptyPage() {
        matches = 0;

        assertThat(table.count(Map.of())).isZero();
        assertThat(table.load(0, 50, Map.of(), Map.of())).isEmpty();
        assertThat(table.isCapped()).isFalse();
    }

    @Test
    void aRowIsFoundByItsKeyOnlyOnTheLoadedPage() {
        matches = 200;
        table.load(0, 50, Map.of(), Map.of());

        assertThat(table.getRowData("f10")).isNotNull();
        assertThat(table.getRowData("f150")).isNull();
        assertThat(table.getRowKey(table.getRowData("f10"))).isEqualTo("f10");
    }
}
