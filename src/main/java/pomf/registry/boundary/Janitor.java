package pomf.registry.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.refusals.control.Refusals;
import pomf.registry.entity.Upload;
import pomf.roles.control.Roles;
import pomf.storage.control.BlobStore;
import pomf.storage.control.BlobStores;
import pomf.time.control.Durations;

/**
 * Keeps storage and registry in agreement: at start, removes temporary files of interrupted uploads (before the
 * first request); on the first tick, removes blobs without a row; every tick (a minute by default), removes
 * expired uploads. A non-persistent programmatic timer, so the interval is configuration.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Janitor {
    private static final Logger LOG = Logger.getLogger(Janitor.class.getName());
    private static final int BATCH = 200;

    @Inject
    BlobStore blobs;

    @Inject
    BlobStores stores;

    @Inject
    Registry registry;

    @Inject
    Removal removal;

    @Inject
    Takedowns takedowns;

    @Inject
    Refusals refusals;

    /**
     * How long a link whose downloads are used up stays (answering only the last download's further ranges, not new
     * downloads) before it is removed.
     */
    @Inject
    @ConfigProperty(name = "pomf.upload.download-limit-grace", defaultValue = "10m")
    String downloadLimitGrace;

    @Resource
    TimerService timers;

    @Inject
    Roles roles;

    private final Instant started = Instant.now();
    private final AtomicBoolean orphansSwept = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();

    @PostConstruct
    void start() {
        if (!roles.origin()) {
            return;
        }
        downloadLimitGrace();
        sweepTemporary();
        long interval = stores.janitorMillis();
        timers.createIntervalTimer(interval, interval, new TimerConfig("storage janitor", false));
    }

    private void sweepTemporary() {
        try {
            int removed = blobs.sweepTemporary();
            if (removed > 0) {
                LOG.info(() -> removed + " temporary file(s) of interrupted uploads removed");
            }
        } catch (IOException e) {
            if (!blobs.kind().equals("s3")) {
                throw new UncheckedIOException("storage temporary folder cannot be swept", e);
            }
            // The bucket may come later; what crashes left there is swept at the next start.
            LOG.warning(() -> "staged uploads in the bucket cannot be swept now: " + e.getMessage());
        }
    }

    @Timeout
    public void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!orphansSwept.get()) {
                sweepOrphans();
                orphansSwept.set(true);
            }
            expire();
            takedowns.repair();
            refusals.flush();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "storage maintenance failed; retried next minute", e);
        } finally {
            running.set(false);
        }
    }

    private Duration downloadLimitGrace() {
        try {
            return Durations.parse(downloadLimitGrace).orElse(Duration.ZERO);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "pomf.upload.download-limit-grace must be a duration such as 10m, not " + downloadLimitGrace, e);
        }
    }

    /** Removes every expired upload (and files left without uploads); returns how many uploads went. */
    public int expire() {
        int total = 0;
        List<Upload> expired;
        do {
            expired = registry.expired(BATCH);
            expired.forEach(u -> removal.remove(u, "expired at " + u.getExpiresAt() + " UTC"));
            total += expired.size();
        } while (expired.size() == BATCH);
        List<Upload> usedUp;
        do {
            usedUp = registry.usedUp(Registry.now().minus(downloadLimitGrace()), BATCH);
            usedUp.forEach(u -> removal.remove(u, "its downloads are used up"));
            total += usedUp.size();
        } while (usedUp.size() == BATCH);
        return total;
    }

    void sweepOrphans() {
        AtomicInteger removed = new AtomicInteger();
        try {
            blobs.forEachBlob(started, sha256 -> {
                if (sha256.matches("[0-9a-f]{64}") && removal.removeIfOrphan(sha256)) {
                    removed.incrementAndGet();
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (removed.get() > 0) {
            LOG.info(() -> removed.get() + " orphan blob(s) without a registry row removed");
        }
    }
}
