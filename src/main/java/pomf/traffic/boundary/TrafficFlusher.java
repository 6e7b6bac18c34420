package pomf.traffic.boundary;

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
import java.time.Duration;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import pomf.roles.control.Roles;
import pomf.threads.control.Threads;
import pomf.traffic.control.BatchSink;
import pomf.traffic.control.OriginPush;
import pomf.traffic.control.PendingBatches;
import pomf.traffic.control.TrafficFlush;
import pomf.traffic.control.TrafficRecorder;
import pomf.traffic.control.TrafficSettings;

/**
 * Hands the tally over every {@code pomf.traffic.flush-seconds}: to the database on an instance that has one, else
 * to the origin. Payara Micro skips {@code @PreDestroy} on SIGTERM, so a JVM shutdown hook writes the rest (the
 * current minute too) within a few seconds.
 *
 * <p>Not claimed through {@code OnceJobs}, unlike the origins' shared jobs: the tally is this instance's memory, so
 * every instance flushes its own (batches carry random ids and add up in the tables).
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class TrafficFlusher {
    private static final Logger LOG = Logger.getLogger(TrafficFlusher.class.getName());
    private static final int SHUTDOWN_SECONDS = 3;

    @Resource
    TimerService timers;

    @Inject
    Roles roles;

    @Inject
    TrafficSettings settings;

    @Inject
    TrafficRecorder recorder;

    @Inject
    TrafficStore store;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private TrafficFlush flush;
    private BatchSink sink;

    @PostConstruct
    void start() {
        if (!recorder.on()) {
            LOG.info("traffic records are off: an edge-only instance hands them to the origin, and no"
                    + " pomf.traffic.token (POMF_TRAFFIC_TOKEN) is configured");
            return;
        }
        String node = settings.nodeName();
        flush = new TrafficFlush(recorder.tally(), new PendingBatches(settings.maxPending()), node);
        BatchSink atShutdown;
        String target;
        if (roles.usesDatabase()) {
            sink = batch -> store.write(batch);
            atShutdown = new DirectDatabase(
                    settings.dbUrl().orElseThrow(), settings.dbUser(), settings.dbPassword(), SHUTDOWN_SECONDS);
            target = "the database";
        } else {
            String origin = settings.originUrl()
                    .orElseThrow(() -> new IllegalStateException(
                            "an edge needs pomf.edge.origin-url to hand its traffic records to"));
            sink = new OriginPush(origin, settings.token().orElseThrow(), Duration.ofSeconds(10));
            atShutdown = new OriginPush(origin, settings.token().orElseThrow(), Duration.ofSeconds(SHUTDOWN_SECONDS));
            target = origin;
        }
        Threads.atShutdown(
                "pomf-traffic-last-flush",
                () -> flush.run(atShutdown, System.currentTimeMillis(), SHUTDOWN_SECONDS * 1000L));
        long every = settings.flushInterval().toMillis();
        timers.createIntervalTimer(every, every, new TimerConfig("traffic-flush", false));
        PendingBatches pending = flush.pending();
        registry.gauge("pomf_traffic_pending_batches", pending::size);
        registry.gauge("pomf_traffic_batches_written", pending::writtenCount);
        registry.gauge("pomf_traffic_batches_failed", pending::failedCount);
        registry.gauge("pomf_traffic_batches_dropped", pending::droppedCount);
        LOG.info(() -> "traffic records of node " + node + " go to " + target + " every " + every / 1000 + " s");
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void flush() {
        flush.run(sink, System.currentTimeMillis(), 0);
    }
}
