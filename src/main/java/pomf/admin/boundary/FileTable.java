package pomf.admin.boundary;

import java.util.List;
import java.util.Map;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;
import pomf.admin.control.FileSearchSql;
import pomf.admin.entity.FileRow;

/**
 * The files table's lazy model: PrimeFaces asks for one page at a time and the database returns just that page
 * and, once per render, a count that stops at 10,001, so a search over millions of rows costs what one page costs.
 */
public class FileTable extends LazyDataModel<FileRow> {
    private static final long serialVersionUID = 1L;

    private final FilesPage page;
    private List<FileRow> current = List.of();
    private boolean capped;

    FileTable(FilesPage page) {
        this.page = page;
    }

    @Override
    public int count(Map<String, FilterMeta> filterBy) {
        // PrimeFaces calls count, then load, for every render: the count runs here only, the rows in load only.
        long count = page.cappedCount();
        capped = count > FileSearchSql.COUNT_CAP;
        return (int) Math.min(count, FileSearchSql.COUNT_CAP);
    }

    @Override
    public List<FileRow> load(int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
        current = page.rows(first, pageSize);
        return current;
    }

    @Override
    public String getRowKey(FileRow row) {
        return row.name();
    }

    @Override
    public FileRow getRowData(String rowKey) {
        return current.stream().filter(r -> r.name().equals(rowKey)).findFirst().orElse(null);
    }

    /** True when more files match than were counted (the count stops at 10,000). */
    public boolean isCapped() {
        return capped;
    }
}
