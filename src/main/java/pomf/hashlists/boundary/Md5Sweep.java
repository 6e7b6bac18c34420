package pomf.hashlists.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.hashlists.control.HashListSql;
import pomf.hashlists.control.Md5Demand;
import pomf.jobs.boundary.OnceJobs;
import pomf.registry.control.EdgePurger;
import pomf.roles.control.Roles;
import pomf.storage.control.BlobStore;

/**
 * Computes the MD5 of links stored without one (published while no hash list had MD5 entries, or before MD5 was
 * computed at all) once a list has some, and quarantines what the lists match, as an import does for links that had
 * their MD5: each tick (a minute by default, and at once after an import), only while {@link Md5Demand} says MD5 is
 * wanted. Links are walked in id order from where the last tick ended (from the first after a restart); the blob of
 * each content is read once, and not at all when another link of the same bytes has its MD5. Idempotent: two origins
 * sweeping at once would hash some blobs twice and change nothing twice; they do not, for a sweep is claimed through
 * {@link OnceJobs} (one origin per interval; a kick whenever no origin is sweeping). The place a sweep reached is
 * this instance's: an origin that wins after another starts from its own, and passes again only the links whose blob
 * it could not read (the others have their MD5 by then).
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Md5Sweep {
    private static final Logger LOG = Logger.getLogger(Md5Sweep.class.getName());
    private static final int BATCH = 200;
    private static final long PROGRESS_MILLIS = 30_000;
    private static final String NOW = "MD5 sweep now";
    /** The sweep's name in {@code job_run}. */
    static final String JOB = "md5-sweep";

    @Inject
    HashLists lists;

    @Inject
    Md5Demand demand;

    @Inject
    BlobStore blobs;

    @Inject
    EdgePurger edges;

    @Inject
    Roles roles;

    @Inject
    OnceJobs jobs;

    @Inject
    @ConfigProperty(name = "pomf.hashlists.md5-sweep-interval", defaultValue = "60")
    int intervalSeconds;

    @Resource
    TimerService timers;

    private final AtomicBoolean running = new AtomicBoolean();
    /** The last link id looked at; links after it may still lack their MD5. */
    private volatile long after;

    @PostConstruct
    void start() {
        if (!roles.origin()) {
            return;
        }
        long interval = interval().toMillis();
        timers.createIntervalTimer(interval, interval, new TimerConfig("MD5 sweep", false));
    }

    /** Sweeps now (in the background), as after an import of MD5 entries. */
    public void kick() {
        if (roles.origin()) {
            timers.createSingleActionTimer(1, new TimerConfig(NOW, false));
        }
    }

    private Duration interval() {
        return Duration.ofSeconds(Math.max(1, intervalSeconds));
    }

    @Timeout
    void timeout(Timer timer) {
        tick(NOW.equals(timer.getInfo()) ? Duration.ZERO : interval());
    }

    /** A tick of the interval timer: sweeps when MD5 is wanted and no origin swept within the interval. */
    public void tick() {
        tick(interval());
    }

    private void tick(Duration interval) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            if (demand.wanted() && jobs.claim(JOB, interval)) {
                RuntimeException failure = null;
                try {
                    sweep();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                } finally {
                    jobs.finish(JOB, failure);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the MD5 sweep failed; it goes on from link " + after + " next time", e);
        } finally {
            running.set(false);
        }
    }

    private void sweep() {
        long started = System.currentTimeMillis();
        long lastProgress = started;
        long hashed = 0;
        long bytes = 0;
        long quarantined = 0;
        List<HashListSql.Unhashed> batch;
        do {
            batch = lists.withoutMd5(after, BATCH);
            // Contents noted in this batch: hashedMd5 gave every link of them its MD5 and checked them all.
            Set<String> done = new HashSet<>();
            for (HashListSql.Unhashed link : batch) {
                jobs.keep(JOB);
                if (!done.add(link.sha256())) {
                    after = link.id();
                    continue;
                }
                String md5 = link.knownMd5();
                if (md5 == null) {
                    try (InputStream blob = blobs.read(link.sha256())) {
                        long[] read = new long[1];
                        md5 = md5(blob, read);
                        hashed++;
                        bytes += read[0];
                    } catch (NoSuchFileException e) {
                        // Its row goes with the janitor's orphan and expiry work; nothing to match meanwhile.
                        LOG.fine(() -> "no blob for link " + link.id() + " (" + link.sha256() + ")");
                        after = link.id();
                        continue;
                    } catch (IOException e) {
                        LOG.warning(() -> "the MD5 of blob " + link.sha256() + " could not be read (" + e
                                + "); tried again on the next sweep after a restart");
                        after = link.id();
                        continue;
                    }
                }
                List<String> names = lists.hashedMd5(link.sha256(), md5);
                for (String name : names) {
                    LOG.info(() -> "link " + name + " quarantined: its MD5 is on a hash list");
                    edges.takeDown(name);
                }
                quarantined += names.size();
                after = link.id();
            }
            long now = System.currentTimeMillis();
            if (now - lastProgress >= PROGRESS_MILLIS) {
                lastProgress = now;
                long h = hashed;
                long b = bytes;
                LOG.info(
                        () -> "MD5 sweep: " + h + " blob(s), " + b / 1_000_000 + " MB hashed so far, at link " + after);
            }
        } while (batch.size() == BATCH);
        if (hashed > 0 || quarantined > 0) {
            long h = hashed;
            long b = bytes;
            long q = quarantined;
            long millis = System.currentTimeMillis() - started;
            LOG.info(() -> "MD5 sweep: " + h + " blob(s), " + b / 1_000_000 + " MB hashed in " + millis + " ms; " + q
                    + " link(s) quarantined");
        }
    }

    /** The MD5 of what {@code in} holds; {@code read[0]} gets its size. */
    static String md5(InputStream in, long[] read) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md5.update(buffer, 0, n);
            read[0] += n;
        }
        return HexFormat.of().formatHex(md5.digest());
    }
}
