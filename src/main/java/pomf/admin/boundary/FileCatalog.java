package pomf.admin.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import pomf.admin.control.AdminSql;
import pomf.admin.control.FileCriteria;
import pomf.admin.control.FileSearchSql;
import pomf.admin.entity.Ban;
import pomf.admin.entity.FileDetail;
import pomf.admin.entity.FilePage;
import pomf.admin.entity.FileRow;

/**
 * Reads the file registry for the admin: searches page by page (the files page's lazy table and the JSON API use
 * the same method), one file with every upload of its bytes (each under its own link), the ban list, through
 * {@link AdminSql}.
 */
@Stateless
public class FileCatalog {
    public static final int MAX_BANS_LISTED = 1000;
    /** A file's detail lists the oldest uploads of its bytes, at most this many. */
    public static final int MAX_UPLOADS_LISTED = 1000;

    @Inject
    AdminSql sql;

    /** One page of the files matching {@code criteria}, with a count capped at {@link FileSearchSql#COUNT_CAP}. */
    public FilePage search(FileCriteria criteria, long offset, int limit) {
        List<FileRow> rows = rows(criteria, offset, limit);
        long count = cappedCount(criteria);
        boolean capped = count > FileSearchSql.COUNT_CAP;
        return new FilePage(rows, offset, limit, capped ? FileSearchSql.COUNT_CAP : count, capped);
    }

    /** One page of the matching files, without counting (the files page's table counts once per render). */
    public List<FileRow> rows(FileCriteria criteria, long offset, int limit) {
        return sql.fileRows(criteria, offset, limit);
    }

    /** The number of matches up to {@link FileSearchSql#COUNT_CAP} + 1: more than the cap means "more than". */
    public long cappedCount(FileCriteria criteria) {
        return sql.cappedFileCount(criteria);
    }

    /** The link {@code name} with every upload of its bytes (the oldest {@link #MAX_UPLOADS_LISTED}) and its ban. */
    public Optional<FileDetail> detail(String name) {
        FileCriteria exact = new FileCriteria(
                null, name, null, null, null, null, null, FileCriteria.all().sort());
        FilePage page = search(exact, 0, 1);
        if (page.items().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(sql.fileDetail(page.items().get(0), MAX_UPLOADS_LISTED));
    }

    /** The newest bans first, at most {@link #MAX_BANS_LISTED}. */
    public List<Ban> bans() {
        return sql.bans(MAX_BANS_LISTED);
    }
}
