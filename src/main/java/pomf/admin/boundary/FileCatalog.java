package pomf.admin.boundary;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import pomf.admin.control.FileCriteria;
import pomf.admin.control.FileSearchSql;
import pomf.admin.entity.Ban;
import pomf.admin.entity.FileDetail;
import pomf.admin.entity.FilePage;
import pomf.admin.entity.FileRow;
import pomf.admin.entity.UploadRow;
import pomf.database.boundary.SchemaMigration;

/**
 * Reads the file registry for the admin: searches page by page (the files page's lazy table and the JSON API use
 * the same method), one file with every upload of its bytes (each under its own link), the ban list. Plain JDBC: the search's SQL is built per request.
 */
@Stateless
public class FileCatalog {
    public static final int MAX_BANS_LISTED = 1000;
    /** A file's detail lists the oldest uploads of its bytes, at most this many. */
    public static final int MAX_UPLOADS_LISTED = 1000;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource database;

    /** One page of the files matching {@code criteria}, with a count capped at {@link FileSearchSql#COUNT_CAP}. */
    public FilePage search(FileCriteria criteria, long offset, int limit) {
        List<FileRow> rows = rows(criteria, offset, limit);
        long count = cappedCount(criteria);
        boolean capped = count > FileSearchSql.COUNT_CAP;
        return new FilePage(rows, offset, limit, capped ? FileSearchSql.COUNT_CAP : count, capped);
    }

    /** One page of the matching files, without counting (the files page's table counts once per render). */
    public List<FileRow> rows(FileCriteria criteria, long offset, int limit) {
        try (Connection c = database.getConnection();
                ResultSet rs = query(c, new FileSearchSql(criteria).page(offset, limit))) {
            List<FileRow> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("file search failed", e);
        }
    }

    /** The number of matches up to {@link FileSearchSql#COUNT_CAP} + 1: more than the cap means "more than". */
    public long cappedCount(FileCriteria criteria) {
        try (Connection c = database.getConnection();
                ResultSet rs = query(c, new FileSearchSql(criteria).cappedCount())) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("file count failed", e);
        }
    }

    public Optional<FileDetail> detail(String name) {
        FileCriteria exact = new FileCriteria(
                null, name, null, null, null, null, null, FileCriteria.all().sort());
        FilePage page = search(exact, 0, 1);
        if (page.items().isEmpty()) {
            return Optional.empty();
        }
        FileRow file = page.items().get(0);
        try (Connection c = database.getConnection()) {
            List<UploadRow> uploads = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "select u.original_name, u.uploader_address, u.created_at, u.expires_at, f.name from upload u"
                            + " join stored_file f on f.id = u.file_id where f.sha256 = ?"
                            + " order by u.created_at, u.id limit ?")) {
                s.setString(1, file.sha256());
                s.setInt(2, MAX_UPLOADS_LISTED);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        uploads.add(new UploadRow(
                                rs.getString(1), rs.getString(2), time(rs, 3), time(rs, 4), rs.getString(5)));
                    }
                }
            }
            String reason = null;
            try (PreparedStatement s = c.prepareStatement(
                    "select coalesce(reason, '') from banned_hash where hash in (?, ?) order by created_at limit 1")) {
                s.setString(1, file.sha1());
                s.setString(2, file.sha256());
                try (ResultSet rs = s.executeQuery()) {
                    reason = rs.next() ? rs.getString(1) : null;
                }
            }
            return Optional.of(new FileDetail(file, reason, uploads));
        } catch (SQLException e) {
            throw new IllegalStateException("file detail failed", e);
        }
    }

    /** The newest bans first, at most {@link #MAX_BANS_LISTED}. */
    public List<Ban> bans() {
        try (Connection c = database.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select hash, reason, created_at from banned_hash order by created_at desc, hash limit ?")) {
            s.setInt(1, MAX_BANS_LISTED);
            List<Ban> bans = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    bans.add(new Ban(rs.getString(1), rs.getString(2), time(rs, 3)));
                }
            }
            return bans;
        } catch (SQLException e) {
            throw new IllegalStateException("listing bans failed", e);
        }
    }

    private static ResultSet query(Connection c, FileSearchSql.Statement statement) throws SQLException {
        PreparedStatement s = c.prepareStatement(statement.sql());
        s.closeOnCompletion();
        for (int i = 0; i < statement.params().size(); i++) {
            s.setObject(i + 1, statement.params().get(i));
        }
        return s.executeQuery();
    }

    private static FileRow row(ResultSet rs) throws SQLException {
        return new FileRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                time(rs, 6),
                rs.getLong(7),
                rs.getString(8),
                rs.getString(9),
                rs.getBoolean(10));
    }

    private static LocalDateTime time(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class);
    }
}
