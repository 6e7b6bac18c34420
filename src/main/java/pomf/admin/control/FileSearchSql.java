package pomf.admin.control;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a file search, with every value as a bind parameter. Filters on stored files are plain predicates; the
 * upload fields become one EXISTS over uploads. A page selects only the ids' rows of that page first and computes
 * the per-file figures (upload count, first name, last address, ban) for those rows alone.
 */
public final class FileSearchSql {
    /** Upper bound of what a count goes through: a broad search over millions stops counting here. */
    public static final int COUNT_CAP = 10_000;

    /** A statement and its parameters, in order. */
    public record Statement(String sql, List<Object> params) {}

    private final FileCriteria criteria;
    private final StringBuilder where = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    public FileSearchSql(FileCriteria criteria) {
        this.criteria = criteria;
        build();
    }

    /** One page of the results, in the criteria's order. */
    public Statement page(long offset, int limit) {
        String order = criteria.sort().orderBy("p");
        String sql = "select p.name, p.sha1, p.sha256, p.size, p.content_type, p.created_at,"
                // Uploads of the same bytes under any link (each upload has its own since V7).
                + " (select count(*) from upload u join stored_file s on s.id = u.file_id where s.sha256 = p.sha256),"
                + " (select u.original_name from upload u where u.file_id = p.id order by u.created_at, u.id limit 1),"
                + " (select u.uploader_address from upload u where u.file_id = p.id"
                + " order by u.created_at desc, u.id desc limit 1),"
                + " exists (select 1 from banned_hash b where b.hash in (p.sha1::text, p.sha256::text))"
                + " from (select f.* from stored_file f" + where + " order by "
                + criteria.sort().orderBy("f")
                + " limit ? offset ?) p order by " + order;
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        all.add(offset);
        return new Statement(sql, all);
    }

    /** Counts the matches up to {@link #COUNT_CAP} + 1; more than the cap means "more than 10,000". */
    public Statement cappedCount() {
        List<Object> all = new ArrayList<>(params);
        all.add(COUNT_CAP + 1);
        return new Statement("select count(*) from (select 1 from stored_file f" + where + " limit ?) c", all);
    }

    private void build() {
        if (criteria.stored() != null) {
            and("f.name = ?", criteria.stored());
        }
        if (criteria.storedPrefix() != null) {
            and("f.name like ? escape '\\'", likeEscape(criteria.storedPrefix()) + "%");
        }
        String hash = criteria.hash();
        if (hash != null && hash.length() == 64) {
            and("f.sha256 = ?", hash);
        } else if (hash != null && hash.length() > 40) {
            and("f.sha256 like ?", hash + "%");
        } else if (hash != null) {
            and("(f.sha1 like ? or f.sha256 like ?)", hash + "%");
            params.add(hash + "%");
        }
        if (criteria.to() != null) {
            // Implied by the upload condition (a file exists from its first upload on), but it bounds the scan of
            // stored files in created order to those old enough.
            and("f.created_at < ?", criteria.to());
        }
        if (criteria.filtersUploads()) {
            uploadConditions();
        }
    }

    private void uploadConditions() {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (criteria.name() != null) {
            conditions.add("lower(u.original_name) like lower(?) escape '\\'");
            values.add("%" + likeEscape(criteria.name()) + "%");
        }
        if (criteria.address() != null) {
            // Compared as inet, not text: 2001:db8::1 and 2001:0db8:0:0::1 are one address.
            conditions.add(
                    "pomf_inet(u.uploader_address) " + (criteria.addressIsRange() ? "<<=" : "=") + " cast(? as inet)");
            values.add(criteria.address());
        }
        if (criteria.from() != null) {
            conditions.add("u.created_at >= ?");
            values.add(criteria.from());
        }
        if (criteria.to() != null) {
            conditions.add("u.created_at < ?");
            values.add(criteria.to());
        }
        and("exists (select 1 from upload u where u.file_id = f.id and " + String.join(" and ", conditions) + ")");
        params.addAll(values);
    }

    private void and(String condition, Object... values) {
        where.append(where.length() == 0 ? " where " : " and ").append(condition);
        params.addAll(List.of(values));
    }

    /** Makes {@code %}, {@code _} and the escape character itself match literally in a LIKE pattern. */
    public static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
