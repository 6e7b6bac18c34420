package pomf.storage.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the application's {@link BlobStore} from the configuration: the storage folder ({@code pomf.storage.dir}),
 * or, with {@code pomf.storage.kind=s3}, the bucket of {@link S3Settings} (the folder then holds only resumable
 * uploads' partial files). A store that cannot be reached at start is logged, and the service is not ready until it
 * can be.
 */
@ApplicationScoped
public class BlobStores {
    private static final Logger LOG = Logger.getLogger(BlobStores.class.getName());

    @Inject
    @ConfigProperty(name = "pomf.storage.dir", defaultValue = "data/files")
    String directory;

    /** How often the sweeps over the storage run: expired links, orphan blobs, unfinished resumable uploads. */
    @Inject
    @ConfigProperty(name = "pomf.storage.janitor-interval", defaultValue = "60")
    int janitorSeconds;

    @Inject
    S3Settings s3;

    @Inject
    StorageExecutors executors;

    /** The sweeps' interval in milliseconds ({@code pomf.storage.janitor-interval}, seconds, at least 1). */
    public long janitorMillis() {
        return Math.max(1, janitorSeconds) * 1000L;
    }

    @Produces
    @ApplicationScoped
    BlobStore store() {
        Path folder = Path.of(directory);
        if (!s3.s3()) {
            return new FolderBlobs(folder);
        }
        S3BlobStore store = new S3BlobStore(
                s3, s3.newClient(executors.flushing()), folder, executors.flushing(), executors.timer());
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
