package pomf.storage.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.database.boundary.SchemaMigration;
import pomf.roles.control.Roles;

/**
 * Makes the application's {@link BlobStore} from the configuration: the storage folder ({@code pomf.storage.dir}),
 * or, with {@code pomf.storage.kind=s3}, the bucket of {@link S3Settings} (the folder then holds only resumable
 * uploads' partial files). A store that cannot be reached at start is logged, and the service is not ready until it
 * can be. A store other than the one the registry's blobs are recorded in ({@code blob_store}) is refused: the
 * deployment fails with a message naming the move command ({@link StorageSql#checkAtStart}).
 */
@ApplicationScoped
public class BlobStores {
    private static final Logger LOG = Logger.getLogger(BlobStores.class.getName());

    /** The storage folder's key, read here only: by the container, or by {@link #folder} for a command. */
    static final String DIR = "pomf.storage.dir";

    private static final String DEFAULT_DIR = "data/files";

    @Inject
    @ConfigProperty(name = DIR, defaultValue = DEFAULT_DIR)
    String directory;

    /** How often the sweeps over the storage run: expired links, orphan blobs, unfinished resumable uploads. */
    @Inject
    @ConfigProperty(name = "pomf.storage.janitor-interval", defaultValue = "60")
    int janitorSeconds;

    @Inject
    S3Settings s3;

    @Inject
    StorageExecutors executors;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource database;

    @Inject
    Roles roles;

    /** The storage folder from {@code config} (a key to its value), for a command run outside the container. */
    public static Path folder(Function<String, Optional<String>> config) {
        return Path.of(config.apply(DIR).orElse(DEFAULT_DIR));
    }

    /** The sweeps' interval in milliseconds ({@code pomf.storage.janitor-interval}, seconds, at least 1). */
    public long janitorMillis() {
        return Math.max(1, janitorSeconds) * 1000L;
    }

    @Produces
    @ApplicationScoped
    BlobStore store() {
        Path folder = Path.of(directory);
        try {
            // Refuses a store other than the one the registry's blobs are recorded in (issue 16); an edge has no
            // registry (and no database) to agree with.
            if (roles.usesDatabase()) {
                new StorageSql(database).checkAtStart(s3.s3() ? "s3" : "folder", s3.s3() ? s3.bucket() : null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("where the blobs are cannot be checked (blob_store): " + e, e);
        }
        if (!s3.s3()) {
            return new FolderBlobs(folder);
        }
        S3BlobStore store = new S3BlobStore(
                s3,
                new S3Keys(database),
                s3.newClient(executors.flushing()),
                folder,
                executors.flushing(),
                executors.timer());
        try {
            store.blobs().checkBucket();
        } catch (IOException e) {
            // The store may come later (started after us, a network hiccup): the readiness check says so meanwhile,
            // and uploads and answers fail with 503 until it is there.
            LOG.warning(() -> "the bucket cannot be used now (not ready until it can): " + e.getMessage());
        }
        LOG.info(() -> "blobs in the bucket " + s3.bucket() + " at " + s3.endpoint() + " (parts of " + s3.partSize()
                + " bytes); resumable uploads' partial files in " + store.localFolder());
        return store;
    }
}
