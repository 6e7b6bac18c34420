package pomf.admin.control;

import java.util.Arrays;
import java.util.stream.Collectors;
import pomf.problem.entity.ProblemException;

/**
 * The orders a file search may ask for; only these reach SQL. Each ends in a unique column, so pages are stable,
 * and each matches an index (V5__admin_search.sql), so page 1 of millions is an index range, not a sort.
 */
public enum FileSort {
    CREATED_DESC("-created", "created_at desc, id desc"),
    CREATED_ASC("created", "created_at, id"),
    SIZE_DESC("-size", "size desc, id desc"),
    SIZE_ASC("size", "size, id"),
    NAME_ASC("name", "name"),
    NAME_DESC("-name", "name desc");

    private final String key;
    private final String columns;

    FileSort(String key, String columns) {
        this.key = key;
        this.columns = columns;
    }

    public String key() {
        return key;
    }

    /** The ORDER BY list for the table alias {@code alias}. */
    String orderBy(String alias) {
        return Arrays.stream(columns.split(", ")).map(c -> alias + "." + c).collect(Collectors.joining(", "));
    }

    public static FileSort of(String key) {
        if (key == null || key.isBlank()) {
            return CREATED_DESC;
        }
        return Arrays.stream(values())
                .filter(s -> s.key.equals(key.trim()))
                .findFirst()
                .orElseThrow(() -> ProblemException.badRequest("sort: must be one of "
                        + Arrays.stream(values()).map(FileSort::key).collect(Collectors.joining(", "))));
    }
}
