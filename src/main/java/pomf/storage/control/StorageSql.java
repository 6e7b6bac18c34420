package pomf.storage.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Every statement of the storage feature: where the registry's blobs are ({@code blob_store}, sql/schema/V17) and
 * the move between the folder and a bucket in progress ({@code blob_move}); it writes those two tables and reads
 * {@code stored_file} (the registry's hashes and sizes), never writing it; and which object of a bucket holds a large
 * upload's blob ({@code s3_blob}, V19). Each method is one short transaction on a connection of its own (or joins the
 * caller's), except {@link #exclusive}, which holds one for a whole run.
 */
public class StorageSql {
    /** The move's session-level advisory lock (two int keys: a key space of its own): "pomf", "move". */
    private static final int LOCK_CLASS = 0x706f6d66;

    private static final int LOCK_ID = 0x6d6f7665;
    /** The problems a blob of a move may have. */
    public static final String MISSING = "missing";

    public static final String CORRUPT = "corrupt";

    private final DataSource dataSource;

    /** Where the registry's blobs are, as recorded. */
    public record Recorded(String kind, String bucket, Instant recordedAt, Instant switchedAt) {
        /** {@code folder}, or {@code s3 (bucket b)}. */
        public String describe() {
            return bucket == null ? kind : kind + " (bucket " + bucket + ")";
        }
    }

    /** A count of blobs and their bytes. */
    public record Totals(long blobs, long bytes) {}

    /** A blob of the registry still to be dealt with: its hash and the registry's size for it. */
    public record Pending(String sha256, long size) {}

    public StorageSql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The service's check at start (issue 16): with nothing recorded, records {@code kind} (a new installation, or
     * one that has run before this check existed, where its configuration is); with something else recorded,
     * records {@code kind} when the registry is empty (nothing to move) and otherwise refuses, naming the command
     * that moves the blobs. One transaction; several origins starting at once meet on the row.
     *
     * @param bucket the bucket for {@code s3}, null for {@code folder}
     * @throws IllegalStateException when the registry's blobs are elsewhere
     */
    public void checkAtStart(String kind, String bucket) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement insert = c.prepareStatement(
                        "insert into blob_store (kind, bucket) values (?, ?) on conflict (id) do nothing")) {
                    insert.setString(1, kind);
                    insert.setString(2, bucket);
                    insert.executeUpdate();
                }
                Recorded recorded = recorded(c, true).orElseThrow();
                if (!recorded.kind().equals(kind) || !Objects.equals(recorded.bucket(), bucket)) {
                    if (registryHasRows(c)) {
                        throw new IllegalStateException(refusal(recorded, kind, bucket));
                    }
                    try (PreparedStatement update = c.prepareStatement("update blob_store"
                            + " set kind = ?, bucket = ?, recorded_at = now(), switched_at = null")) {
                        update.setString(1, kind);
                        update.setString(2, bucket);
                        update.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static String refusal(Recorded recorded, String kind, String bucket) {
        String configured = bucket == null ? kind : kind + " (bucket " + bucket + ")";
        return "the registry's blobs are in " + recorded.describe() + ", but this service is configured for "
                + configured + " (pomf.storage.kind, pomf.storage.s3.bucket): move them first with"
                + " server-config/move-blobs.sh --to " + kind + " (README, \"Moving the blobs\"), or start with"
                + " pomf.storage.kind=" + recorded.kind()
                + (recorded.bucket() == null ? "" : " and pomf.storage.s3.bucket=" + recorded.bucket());
    }

    /** Where the blobs are recorded to be; empty before a service of this version has started. */
    public Optional<Recorded> recorded() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return recorded(c, false);
        }
    }

    private static Optional<Recorded> recorded(Connection c, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                        "select kind, bucket, recorded_at, switched_at from blob_store" + (lock ? " for update" : ""));
                ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new Recorded(
                    row.getString(1), row.getString(2), instant(row.getTimestamp(3)), instant(row.getTimestamp(4))));
        }
    }

    /** Whether the schema has the tables of V17 (the command may run against a database no service migrated yet). */
    public boolean migrated() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet row = s.executeQuery(
                        "select to_regclass('blob_store') is not null" + " and to_regclass('blob_move') is not null")) {
            return row.next() && row.getBoolean(1);
        }
    }

    /**
     * Holds the move's advisory lock on a connection of its own until closed: one move at a time.
     *
     * @return empty when another session holds it
     */
    public Optional<AutoCloseable> exclusive() throws SQLException {
        Connection c = dataSource.getConnection();
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, LOCK_CLASS);
            lock.setInt(2, LOCK_ID);
            try (ResultSet row = lock.executeQuery()) {
                if (row.next() && row.getBoolean(1)) {
                    return Optional.of(c::close); // a closed session releases its advisory locks
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        c.close();
        return Optional.empty();
    }

    /**
     * Starts a run towards {@code target}: forgets what a move to another target noted (abandoned) and this move's
     * problems (tried again now).
     *
     * @return the rows dropped
     */
    public int begin(String target) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement forget =
                        c.prepareStatement("delete from blob_move where target <> ? or problem is not null")) {
            forget.setString(1, target);
            return forget.executeUpdate();
        }
    }

    /** The distinct blobs of the registry and their bytes (one scan of {@code stored_file}). */
    public Totals registry() throws SQLException {
        return totals("select count(*), coalesce(sum(size), 0) from"
                + " (select max(size) as size from stored_file group by sha256) d");
    }

    /** What this move has copied and verified so far, of the blobs still in the registry. */
    public Totals moved(String target) throws SQLException {
        return totals(
                "select count(*), coalesce(sum(m.size), 0) from blob_move m where m.target = ?"
                        + " and m.problem is null and exists (select 1 from stored_file f where f.sha256 = m.sha256)",
                target);
    }

    private Totals totals(String sql, String... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new Totals(row.getLong(1), row.getLong(2));
            }
        }
    }

    /**
     * The next {@code limit} blobs of the registry after {@code after} (by hash: a keyset, so a run never holds the
     * registry in memory) that this move has not dealt with yet.
     */
    public List<Pending> pending(String target, String after, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("select f.sha256, max(f.size) from stored_file f"
                        + " where f.sha256 > cast(? as char(64)) and not exists (select 1 from blob_move m"
                        + " where m.target = ? and m.sha256 = f.sha256)"
                        + " group by f.sha256 order by f.sha256 limit ?")) {
            select.setString(1, after);
            select.setString(2, target);
            select.setInt(3, limit);
            List<Pending> batch = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    batch.add(new Pending(rows.getString(1), rows.getLong(2)));
                }
            }
            return batch;
        }
    }

    /** How many blobs of the registry this move has not dealt with (uploads that arrived during a pass). */
    public long pendingCount(String target) throws SQLException {
        return totals(
                        "select count(distinct f.sha256), 0 from stored_file f where not exists"
                                + " (select 1 from blob_move m where m.target = ? and m.sha256 = f.sha256)",
                        target)
                .blobs();
    }

    /** Whether the registry still has a link to {@code sha256} (a blob gone from the source may have been deleted). */
    public boolean registered(String sha256) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "select exists (select 1 from stored_file where sha256 = cast(? as char(64)))")) {
            select.setString(1, sha256);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    /**
     * Notes the blob as dealt with by this move: copied and verified ({@code problem} null), or not copied because
     * of {@code problem} ({@link #MISSING}, {@link #CORRUPT}).
     */
    public void note(String target, String sha256, long size, String problem) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert = c.prepareStatement("insert into blob_move (target, sha256, size, problem)"
                        + " values (?, ?, ?, ?) on conflict (target, sha256) do update"
                        + " set size = excluded.size, problem = excluded.problem, at = now()")) {
            upsert.setString(1, target);
            upsert.setString(2, sha256);
            upsert.setLong(3, size);
            upsert.setString(4, problem);
            upsert.executeUpdate();
        }
    }

    /** The hashes of this move's blobs with {@code problem} still in the registry, by hash, at most {@code limit}. */
    public List<String> problems(String target, String problem, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("select m.sha256 from blob_move m"
                        + " where m.target = ? and m.problem = ?"
                        + " and exists (select 1 from stored_file f where f.sha256 = m.sha256)"
                        + " order by m.sha256 limit ?")) {
            select.setString(1, target);
            select.setString(2, problem);
            select.setInt(3, limit);
            List<String> hashes = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    hashes.add(rows.getString(1));
                }
            }
            return hashes;
        }
    }

    /**
     * The switch: in one transaction, with the recorded row locked, records {@code kind} (and {@code bucket}) as where
     * the blobs are, and empties {@code blob_move}, but only when every blob of the registry was copied and verified
     * by this move, or, with {@code acceptMissing}, every one but blobs missing from the source.
     *
     * @return whether it switched
     */
    public boolean switchTo(String target, String kind, String bucket, boolean acceptMissing) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                recorded(c, true);
                boolean complete = complete(c, target, acceptMissing);
                if (!complete) {
                    c.rollback();
                    return false;
                }
                try (PreparedStatement upsert = c.prepareStatement("insert into blob_store"
                                + " (kind, bucket, switched_at) values (?, ?, now()) on conflict (id) do update"
                                + " set kind = excluded.kind, bucket = excluded.bucket, recorded_at = now(),"
                                + " switched_at = now()");
                        PreparedStatement clear = c.prepareStatement("delete from blob_move")) {
                    upsert.setString(1, kind);
                    upsert.setString(2, bucket);
                    upsert.executeUpdate();
                    clear.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Whether every blob of the registry was copied and verified by this move (or is missing, when accepted). */
    public boolean complete(String target, boolean acceptMissing) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return complete(c, target, acceptMissing);
        }
    }

    // Large uploads' random keys (s3_blob, sql/schema/V19): these join the caller's transaction when there is one
    // (a publication's mapping commits or rolls back with its rows).

    /** The random key the blob is mapped to, if any. */
    public Optional<String> blobKey(String sha256) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select object_key from s3_blob where sha256 = ?")) {
            s.setString(1, sha256);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Maps the blob to {@code key}, replacing an earlier mapping. */
    public void mapBlob(String sha256, String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into s3_blob (sha256, object_key) values (?, ?)"
                        + " on conflict (sha256) do update set object_key = excluded.object_key, created_at = now()")) {
            s.setString(1, sha256);
            s.setString(2, key);
            s.executeUpdate();
        }
    }

    /** Drops the blob's mapping (only when it is to {@code key}, unless that is null), returning the key it had. */
    public Optional<String> unmapBlob(String sha256, String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("delete from s3_blob where sha256 = ?"
                        + (key == null ? "" : " and object_key = ?") + " returning object_key")) {
            s.setString(1, sha256);
            if (key != null) {
                s.setString(2, key);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Visits the hash of every blob mapped before {@code before}. */
    public void forEachMappedBlob(Instant before, Consumer<String> visitor) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select sha256 from s3_blob where created_at < ?")) {
            s.setTimestamp(1, Timestamp.from(before));
            s.setFetchSize(1000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    visitor.accept(rs.getString(1));
                }
            }
        }
    }

    /** Which of these object keys a blob is mapped to. */
    public Set<String> mappedKeys(Collection<String> keys) throws SQLException {
        Set<String> found = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select object_key from s3_blob where object_key = any(?)")) {
            s.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    private static boolean complete(Connection c, String target, boolean acceptMissing) throws SQLException {
        try (PreparedStatement left = c.prepareStatement("select count(*) from"
                + " (select distinct f.sha256 from stored_file f) f"
                + " left join blob_move m on m.target = ? and m.sha256 = f.sha256"
                + " where m.sha256 is null or m.problem is not null"
                + (acceptMissing ? " and m.problem <> 'missing'" : ""))) {
            left.setString(1, target);
            try (ResultSet row = left.executeQuery()) {
                row.next();
                return row.getLong(1) == 0;
            }
        }
    }

    private static boolean registryHasRows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet row = s.executeQuery("select exists (select 1 from stored_file)")) {
            return row.next() && row.getBoolean(1);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
