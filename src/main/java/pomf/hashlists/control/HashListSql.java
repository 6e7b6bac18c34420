package pomf.hashlists.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import pomf.database.boundary.SchemaMigration;

/**
 * Every statement of the hash lists, in JDBC on the transaction's connection (an import streams its hashes with
 * {@code COPY}, which JPA cannot): imports, removals, the MD5 sweep's reads and notes, and whether any list holds MD5
 * entries. Opens no transaction: {@code HashLists} holds one around each change.
 *
 * <p>Writes {@code hash_list}, {@code hash_list_entry}, {@code review_item} (a match's review item, and resolving
 * those of released links) and {@code stored_file} ({@code banned}, {@code banned_changed_at}, {@code md5}). Reads
 * those and {@code banned_hash}.
 */
@ApplicationScoped
public class HashListSql {
    /** The three hash columns of a link, each matched by an equality join on its own index. */
    private static final List<String> COLUMNS = List.of("sha256", "sha1", "md5");

    private static final int COPY_BUFFER = 1 << 16;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    /** One list as the API shows it. */
    public record ListView(
            String name,
            String reason,
            long entries,
            String createdBy,
            LocalDateTime createdAt,
            LocalDateTime updatedAt) {}

    /** What an import did. */
    public record Imported(
            String name,
            long entries,
            long lines,
            long ignored,
            List<Long> firstIgnored,
            long added,
            long removed,
            List<String> quarantined,
            List<String> released,
            long md5Entries,
            long md5Pending) {}

    /** What a removal did. */
    public record Removed(String name, long entries, List<String> released) {}

    /**
     * Creates list {@code name}, or replaces its hashes, with those in {@code body}, at {@code now}.
     *
     * @return what changed; the caller tells the edges about the quarantined and released links
     */
    public Imported replace(String name, String reason, String actor, InputStream body, LocalDateTime now) {
        try (Connection c = dataSource.getConnection()) {
            // The joins below are between sets of up to millions of rows: hash joins, in memory. The planner's
            // statistics may not know this list yet (its id is new, or the last analysis ran while an earlier import
            // was uncommitted) and then took it for one row and chose a nested loop: a million entries compared
            // with a million hashes one by one, for hours. Never a nested loop here.
            execute(c, "set local work_mem = '64MB'");
            execute(c, "set local enable_nestloop = off");
            long id = upsert(c, name, reason, actor, now);
            execute(c, "create temp table if not exists incoming_hash (hash varchar(64)) on commit drop");
            execute(c, "truncate incoming_hash");
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy incoming_hash (hash) from stdin");
            HashListParser.Summary summary;
            try {
                CopySink sink = new CopySink(copy);
                summary = HashListParser.parse(body, sink);
                sink.flush();
                copy.endCopy();
                // A temporary table has no statistics until analysed: without them the planner took it for a few
                // rows and compared a million entries with a million hashes one by one (a nested loop).
                execute(c, "analyze incoming_hash");
            } catch (IOException | RuntimeException e) {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
                throw e;
            }
            // Hashes of the old version that the new one drops: their links may be released below.
            execute(c, "create temp table if not exists removed_hash (hash varchar(64)) on commit drop");
            execute(c, "truncate removed_hash");
            long removed = update(
                    c,
                    "with gone as (delete from hash_list_entry e where e.list_id = ? and not exists"
                            + " (select 1 from incoming_hash i where i.hash = e.hash) returning e.hash)"
                            + " insert into removed_hash select hash from gone",
                    id);
            execute(c, "analyze removed_hash");
            long added = update(
                    c,
                    "insert into hash_list_entry (hash, list_id) select distinct hash, ? from incoming_hash"
                            + " on conflict do nothing",
                    id);
            long entries = count(c, id);
            long md5Entries = count(c, id, "and length(hash) = 32");
            update(c, "update hash_list set entries = ?, md5_entries = ? where id = ?", entries, md5Entries, id);
            List<String> quarantined = quarantine(c, id, name, reason, now);
            List<String> released = release(c, now, "hash list " + name + " no longer lists it");
            // Links stored while no list had MD5 entries have none yet: the MD5 sweep hashes and checks them.
            long md5Pending = md5Entries == 0 ? 0 : single(c, "select count(*) from stored_file where md5 is null");
            return new Imported(
                    name,
                    entries,
                    summary.hashes() + summary.ignored(),
                    summary.ignored(),
                    summary.firstIgnored(),
                    added,
                    removed,
                    quarantined,
                    released,
                    md5Entries,
                    md5Pending);
        } catch (SQLException e) {
            throw new IllegalStateException("hash list " + name + " could not be imported", e);
        } catch (IOException e) {
            throw new UncheckedIOException("hash list " + name + " could not be read", e);
        }
    }

    /** Removes list {@code name}; empty when there is none. */
    public Optional<Removed> remove(String name, LocalDateTime now) {
        try (Connection c = dataSource.getConnection()) {
            Optional<Long> id = id(c, name);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            execute(c, "set local work_mem = '64MB'");
            execute(c, "set local enable_nestloop = off");
            execute(c, "create temp table if not exists removed_hash (hash varchar(64)) on commit drop");
            execute(c, "truncate removed_hash");
            long entries =
                    update(c, "insert into removed_hash select hash from hash_list_entry where list_id = ?", id.get());
            execute(c, "analyze removed_hash");
            update(c, "delete from hash_list where id = ?", id.get());
            List<String> released = release(c, now, "hash list " + name + " removed");
            return Optional.of(new Removed(name, entries, released));
        } catch (SQLException e) {
            throw new IllegalStateException("hash list " + name + " could not be removed", e);
        }
    }

    /**
     * Notes the MD5 of the bytes with SHA-256 {@code sha256} on every link of them that had none, and quarantines
     * those that a list's MD5 entry matches (queued for review as an import's matches are).
     *
     * @return the links quarantined now; the caller tells the edges
     */
    public List<String> hashedMd5(String sha256, String md5, LocalDateTime now) {
        try (Connection c = dataSource.getConnection()) {
            update(c, "update stored_file set md5 = ? where sha256 = ? and md5 is null", md5, sha256);
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("update stored_file f set banned = true,"
                            + " banned_changed_at = ? from hash_list_entry e join hash_list l on l.id = e.list_id"
                            + " where f.sha256 = ? and f.md5 = e.hash and not f.banned"
                            + " returning f.name, l.name, l.reason");
                    PreparedStatement queue = c.prepareStatement("insert into review_item"
                            + " (stored_name, sha256, source, reason, created_at) values (?, ?, ?, ?, ?)")) {
                s.setTimestamp(1, Timestamp.valueOf(now));
                s.setString(2, sha256);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        queue.setString(1, rs.getString(1));
                        queue.setString(2, sha256);
                        queue.setString(3, "hash list " + rs.getString(2));
                        queue.setString(4, "matches its md5: " + rs.getString(3));
                        queue.setTimestamp(5, Timestamp.valueOf(now));
                        queue.addBatch();
                    }
                }
                queue.executeBatch();
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("the MD5 of " + sha256 + " could not be noted", e);
        }
    }

    /** A link whose MD5 is not known; {@code knownMd5} is another link's of the same bytes, if any has it. */
    public record Unhashed(long id, String sha256, String knownMd5) {}

    /** Up to {@code limit} links after id {@code after}, in id order, whose MD5 is not known. */
    public List<Unhashed> withoutMd5(long after, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select id, sha256, (select o.md5 from stored_file o where o.sha256 = f.sha256"
                                + " and o.md5 is not null limit 1) from stored_file f"
                                + " where f.id > ? and f.md5 is null order by f.id limit ?")) {
            s.setLong(1, after);
            s.setInt(2, limit);
            List<Unhashed> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Unhashed(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("links without MD5 could not be read", e);
        }
    }

    public List<ListView> all() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select name, reason, entries, created_by, created_at, updated_at from hash_list order by name");
                ResultSet rs = s.executeQuery()) {
            List<ListView> lists = new ArrayList<>();
            while (rs.next()) {
                lists.add(new ListView(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getTimestamp(5).toLocalDateTime(),
                        rs.getTimestamp(6).toLocalDateTime()));
            }
            return lists;
        } catch (SQLException e) {
            throw new IllegalStateException("hash lists could not be read", e);
        }
    }

    /** Whether any list holds MD5 entries (uploads compute MD5 only then). */
    public boolean anyMd5Entries() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st =
                        c.prepareStatement("select exists (select 1 from hash_list where md5_entries > 0)");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static long upsert(Connection c, String name, String reason, String actor, LocalDateTime now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "insert into hash_list (name, reason, created_by, created_at, updated_at) values (?, ?, ?, ?, ?)"
                        + " on conflict (name) do update set reason = excluded.reason, updated_at = excluded.updated_at"
                        + " returning id")) {
            s.setString(1, name);
            s.setString(2, reason);
            s.setString(3, actor);
            s.setTimestamp(4, Timestamp.valueOf(now));
            s.setTimestamp(5, Timestamp.valueOf(now));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Marks the links this list matches and no ban marked yet, and queues each for review. */
    private static List<String> quarantine(Connection c, long id, String list, String reason, LocalDateTime now)
            throws SQLException {
        List<String> names = new ArrayList<>();
        for (String column : COLUMNS) {
            try (PreparedStatement s =
                    c.prepareStatement("update stored_file f set banned = true, banned_changed_at = ?"
                            + " from hash_list_entry e where e.list_id = ? and f." + column
                            + " = e.hash and not f.banned"
                            + " returning f.name, f.sha256")) {
                s.setTimestamp(1, Timestamp.valueOf(now));
                s.setLong(2, id);
                try (ResultSet rs = s.executeQuery();
                        PreparedStatement queue = c.prepareStatement("insert into review_item"
                                + " (stored_name, sha256, source, reason, created_at) values (?, ?, ?, ?, ?)")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                        queue.setString(1, rs.getString(1));
                        queue.setString(2, rs.getString(2));
                        queue.setString(3, "hash list " + list);
                        queue.setString(4, "matches its " + column + ": " + reason);
                        queue.setTimestamp(5, Timestamp.valueOf(now));
                        queue.addBatch();
                    }
                    queue.executeBatch();
                }
            }
        }
        return names;
    }

    /**
     * Releases the quarantined links that a hash in {@code removed_hash} matched and that no ban and no list covers
     * any more; their open review items are resolved with {@code why}.
     */
    private static List<String> release(Connection c, LocalDateTime now, String why) throws SQLException {
        List<String> names = new ArrayList<>();
        for (String column : COLUMNS) {
            try (PreparedStatement s =
                    c.prepareStatement("update stored_file f set banned = false, banned_changed_at = ?"
                            + " from removed_hash r where f." + column + " = r.hash and f.banned"
                            + " and not exists (select 1 from banned_hash b where b.hash in (f.sha256, f.sha1))"
                            + " and not exists (select 1 from hash_list_entry e where e.hash in (f.sha256, f.sha1, f.md5))"
                            + " returning f.name")) {
                s.setTimestamp(1, Timestamp.valueOf(now));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
        }
        if (!names.isEmpty()) {
            try (PreparedStatement s =
                    c.prepareStatement("update review_item set resolved_at = ?, resolved_by = 'system',"
                            + " resolution = ? where resolved_at is null and stored_name = any (?)")) {
                s.setTimestamp(1, Timestamp.valueOf(now));
                s.setString(2, why);
                s.setArray(3, c.createArrayOf("varchar", names.toArray()));
                s.executeUpdate();
            }
        }
        return names;
    }

    private static Optional<Long> id(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select id from hash_list where name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    private static long count(Connection c, long id) throws SQLException {
        return count(c, id, "");
    }

    private static long count(Connection c, long id, String condition) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("select count(*) from hash_list_entry where list_id = ? " + condition)) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            return s.executeLargeUpdate();
        }
    }

    /** Hands the parser's hashes to {@code COPY} in large writes. */
    private static final class CopySink implements HashListParser.Sink {
        private final CopyIn copy;
        private final byte[] buffer = new byte[COPY_BUFFER];
        private int fill;

        CopySink(CopyIn copy) {
            this.copy = copy;
        }

        @Override
        public void hash(String hash) throws IOException {
            if (fill + 65 > buffer.length) {
                flush();
            }
            byte[] bytes = hash.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(bytes, 0, buffer, fill, bytes.length);
            fill += bytes.length;
            buffer[fill++] = '\n';
        }

        void flush() throws IOException {
            try {
                copy.writeToCopy(buffer, 0, fill);
            } catch (SQLException e) {
                throw new IOException("COPY failed", e);
            }
            fill = 0;
        }
    }
}
