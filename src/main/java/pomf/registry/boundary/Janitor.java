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
import pomf.jobs.boundary.OnceJobs;
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
 *
 * <p>Several origins on one database (issue 16): the timer fires in each, and the work on the shared registry and
 * blobs is claimed through {@link OnceJobs}: the expiry sweep (with the repair of links a ban missed) is done by one
 * origin per interval; the orphan sweep once after each origin's start, never two at once. The temporary files and
 * the refused-upload counts are this instance's own (its disk, its memory), so their work is not claimed.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Janitor {
    private static final Logger LOG = Logger.getLogger(Janitor.class.getName());
    private static final int BATCH = 200;
    /** The expiry sweep's name in {@code job_run}. */
    static final String EXPIRY = "expiry-sweep";
    /** The orphan sweep's name in {@code job_run}. */
    static final String ORPHANS = "orphan-sweep";
    /** The sweep of a shared store's stale staged uploads in {@code job_run}: hourly, by one origin. */
    static final String STALE = "stale-uploads-sweep";

    static final Duration STALE_INTERVAL = Duration.ofHours(1);

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

    @Inject
    OnceJobs jobs;

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
            if (!blobs.shared()) {
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
            try {
                if (!orphansSwept.get() && sweepOrphansOnce()) {
                    orphansSwept.set(true);
                }
                expireOnce();
                sweepStaleOnce();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "storage maintenance failed; retried next minute", e);
            }
            // Not claimed: the counts are in this instance's memory, and every instance adds its own.
            refusals.flush();
        } finally {
            running.set(false);
        }
    }

    /**
     * The orphan sweep, claimed with no interval: each origin sweeps once after its start, as a lone origin always
     * did, for a sweep removes only blobs older than its own origin's start (another origin's sweep, from an earlier
     * start, does not stand in for it); the claim keeps two from walking the blobs at once. False when another
     * origin is sweeping: this one tries again next tick.
     */
    private boolean sweepOrphansOnce() {
        if (!jobs.claim(ORPHANS, Duration.ZERO)) {
            return false;
        }
        RuntimeException failure = null;
        try {
            sweepOrphans();
            return true;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            jobs.finish(ORPHANS, failure);
        }
    }

    /**
     * What crashed uploads left staged in a bucket (a killed origin's multipart upload, a {@code tmp/} object), once
     * an hour by one origin: without it they would wait for some origin's next start.
     */
    private void sweepStaleOnce() {
        if (!blobs.shared() || !jobs.claim(STALE, STALE_INTERVAL)) {
            return;
        }
        RuntimeException failure = null;
        try {
            int removed = blobs.sweepStale();
            if (removed > 0) {
                LOG.info(() -> removed + " staged upload(s) left by crashes removed from the store");
            }
        } catch (IOException e) {
            failure = new UncheckedIOException(e);
            LOG.warning(() -> "staged uploads in the store cannot be swept now: " + e.getMessage());
        } finally {
            jobs.finish(STALE, failure);
        }
    }

    /** Expired uploads and the links a ban missed, by the origin that claims them for this interval. */
    private void expireOnce() {
        Duration interval = Duration.ofMillis(stores.janitorMillis());
        if (!jobs.claim(EXPIRY, interval)) {
            return;
        }
        RuntimeException failure = null;
        try {
            expire();
            takedowns.repair();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            jobs.finish(EXPIRY, failure);
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

    /**
     * Removes every expired upload (and files left without uploads), under the claim of {@link #EXPIRY}, checked
     * between batches; returns how many uploads went.
     */
    int expire() {
        int total = 0;
        List<Upload> expired;
        do {
            jobs.keep(EXPIRY);
            expired = registry.expired(BATCH);
            expired.forEach(u -> removal.remove(u, "expired at " + u.getExpiresAt() + " UTC"));
            total += expired.size();
        } while (expired.size() == BATCH);
        List<Upload> usedUp;
        do {
            jobs.keep(EXPIRY);
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
                jobs.keep(ORPHANS);
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
