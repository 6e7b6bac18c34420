package pomf.tus.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.logging.Logger;
import pomf.roles.control.Roles;
import pomf.storage.control.BlobStores;

/**
 * Removes resumable uploads past their window ({@code pomf.tus.resume-for}) with their bytes, every janitor tick. Not
 * claimed through {@code OnceJobs}, unlike the origins' shared jobs: the unfinished uploads are files on this
 * instance's disk ({@code <storage>/tus}), which only this instance can sweep.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TusSweeper {
    private static final Logger LOG = Logger.getLogger(TusSweeper.class.getName());

    @Inject
    TusUploads uploads;

    @Inject
    Roles roles;

    @Inject
    BlobStores stores;

    @Resource
    TimerService timers;

    @PostConstruct
    void start() {
        if (!roles.origin()) {
            return;
        }
        long interval = stores.janitorMillis();
        timers.createIntervalTimer(interval, interval, new TimerConfig("resumable uploads sweep", false));
    }

    @Timeout
    public void tick() {
        int removed = uploads.sweep(Instant.now());
        if (removed > 0) {
            LOG.info(() -> removed + " expired resumable upload(s) removed with their bytes");
        }
    }
}
