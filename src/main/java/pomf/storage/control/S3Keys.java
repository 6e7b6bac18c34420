package pomf.storage.control;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import pomf.storage.entity.StoreUnavailableException;

/**
 * Which object of the bucket holds a blob ({@code s3_blob}, sql/schema/V19): a large upload's random key
 * {@code data/<random>}, mapped at its publication, or else the content key {@link S3Blobs#key}. Statements join the
 * caller's transaction when there is one (a publication's mapping commits or rolls back with its rows); lookups are
 * remembered for the answers (up to {@link #REMEMBERED} blobs), and a caller that finds a remembered key gone
 * {@link #forget}s it and asks again.
 */
public class S3Keys {
    private static final Logger LOG = Logger.getLogger(S3Keys.class.getName());
    static final int REMEMBERED = 100_000;

    private final StorageSql sql;
    private final Map<String, String> remembered = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    public S3Keys(DataSource dataSource) {
        this.sql = new StorageSql(dataSource);
    }

    /** The key of the blob's object, remembered or looked up. */
    public String resolve(String sha256) throws IOException {
        synchronized (remembered) {
            String key = remembered.get(sha256);
            if (key != null) {
                return key;
            }
        }
        String key = lookup(sha256).orElseGet(() -> S3Blobs.key(sha256));
        synchronized (remembered) {
            remembered.put(sha256, key);
        }
        return key;
    }

    /** The blob's random key as the database says now, if it has one. */
    public Optional<String> lookup(String sha256) throws IOException {
        try {
            return sql.blobKey(sha256);
        } catch (SQLException e) {
            throw unavailable("the key of blob " + sha256, e);
        }
    }

    /** Records that the blob is the object {@code key} (replacing an earlier mapping, whose object is left over). */
    public void map(String sha256, String key) throws IOException {
        forget(sha256);
        try {
            sql.mapBlob(sha256, key);
        } catch (SQLException e) {
            throw unavailable("the key of blob " + sha256, e);
        } finally {
            forget(sha256);
        }
    }

    /** Drops the blob's mapping, if any, returning its key: the blob is now at its content key, or gone. */
    public Optional<String> unmap(String sha256) throws IOException {
        forget(sha256);
        try {
            return sql.unmapBlob(sha256, null);
        } catch (SQLException e) {
            throw unavailable("the key of blob " + sha256, e);
        } finally {
            forget(sha256);
        }
    }

    /**
     * Drops the blob's mapping only when it is to {@code key} (undoing this upload's own); a failure is logged, the
     * mapping then outlives its object, and readers fall back to the content key.
     */
    public void unmap(String sha256, String key) {
        forget(sha256);
        try {
            sql.unmapBlob(sha256, key);
        } catch (SQLException e) {
            LOG.warning(() -> "the mapping of blob " + sha256 + " to " + key + " could not be dropped: " + e);
        } finally {
            forget(sha256);
        }
    }

    /** Forgets what was remembered of the blob (its object was not where remembered). */
    public void forget(String sha256) {
        synchronized (remembered) {
            remembered.remove(sha256);
        }
    }

    /** Visits the hash of every mapped blob mapped before {@code before} (the orphan sweep). */
    public void forEachMapped(Instant before, Consumer<String> visitor) throws IOException {
        try {
            sql.forEachMappedBlob(before, visitor);
        } catch (SQLException e) {
            throw unavailable("the mapped blobs", e);
        }
    }

    /** Which of these object keys a blob is mapped to. */
    public Set<String> mapped(Collection<String> keys) throws IOException {
        if (keys.isEmpty()) {
            return Set.of();
        }
        try {
            return sql.mappedKeys(keys);
        } catch (SQLException e) {
            throw unavailable("which objects are mapped", e);
        }
    }

    private static StoreUnavailableException unavailable(String what, SQLException e) {
        return new StoreUnavailableException(what + " cannot be read or written in the database: " + e.getMessage(), e);
    }
}
