package pomf.witness.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
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
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import pomf.dns.boundary.DnsSync;
import pomf.roles.control.Roles;
import pomf.witness.control.Canary;
import pomf.witness.control.CheckResult;
import pomf.witness.control.ProbeSettings;
import pomf.witness.control.Prober;
import pomf.witness.control.References;
import pomf.witness.control.Target;
import pomf.witness.control.TrustStores;
import pomf.witness.control.WitnessSettings;
import pomf.witness.entity.Node;

/**
 * The witness's clock: a non-persistent interval timer on every witness instance (persistent timers on Payara Micro
 * live in the Hazelcast grid of the instance that made them and stop with it). Each tick checks every node, stores
 * the results, and lets the database say which instance decides. A tick that overruns the next one makes it skip,
 * never pile up.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class WitnessTimer {
    private static final Logger LOG = Logger.getLogger(WitnessTimer.class.getName());

    @Resource
    TimerService timers;

    /** The probes' pools (named for thread dumps). */
    @Resource
    ManagedThreadFactory threads;

    /** The reference checks' blocking connects (a witness that reaches none of them judges no node). */
    @Resource
    ManagedExecutorService executor;

    @Inject
    Roles roles;

    @Inject
    WitnessSettings settings;

    @Inject
    Tribunal tribunal;

    @Inject
    NodeSeeder seeder;

    @Inject
    DnsSync dnsSync;

    @Inject
    DnsAudit dnsAudit;

    private final AtomicBoolean running = new AtomicBoolean();
    private Prober prober;
    private String witness;
    private int ticksSinceAudit;
    /** What was last logged about the canary, so that it is logged once per change rather than every tick. */
    private String canaryProblem;

    @PostConstruct
    void start() {
        if (!roles.witness()) {
            return;
        }
        witness = settings.witnessName();
        seeder.seed();
        prober = new Prober(new ProbeSettings(
                settings.httpsTimeout(),
                settings.pingTimeout(),
                settings.sshTimeout(),
                TrustStores.sslContext(settings.trustStore(), settings.trustStorePassword()),
                settings.pingThreads(),
                threads));
        Duration interval = settings.interval();
        Instant now = Instant.now();
        long delay = settings.tickOf(now).plus(interval).toEpochMilli() - now.toEpochMilli();
        timers.createIntervalTimer(Math.max(1, delay), interval.toMillis(), new TimerConfig("witness", false));
        LOG.info(() -> "witness " + witness + " checks every " + interval.toSeconds() + " s; ping: " + prober.pingMode()
                + "; rules: " + settings.rules());
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void tick() {
        if (!running.compareAndSet(false, true)) {
            LOG.warning("the previous tick is still running: this one is skipped");
            return;
        }
        try {
            Instant tick = settings.tickOf(Instant.now().plusMillis(250));
            List<Node> nodes = tribunal.nodesToCheck();
            List<Target> targets = nodes.stream()
                    .map(n -> new Target(n.getName(), n.getAddress(), URI.create(n.getCheckUrl()), n.getSshPort()))
                    .toList();
            long started = System.nanoTime();
            List<CheckResult> results = prober.checkAll(targets, canary());
            long checkMillis = (System.nanoTime() - started) / 1_000_000;
            Optional<String> fault = settings.guard().fault(results, referencesIfNeeded(results, nodes.size()));
            Map<String, Long> ids = nodes.stream().collect(Collectors.toMap(Node::getName, Node::getId));
            boolean decided = tribunal.record(tick, witness, ids, results, fault, checkMillis);
            dnsSync.run();
            if (decided && ++ticksSinceAudit >= settings.dnsAuditTicks()) {
                ticksSinceAudit = 0;
                dnsAudit.run();
                dnsSync.run();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "witness tick failed; the next one tries again", e);
        } finally {
            running.set(false);
        }
    }

    /**
     * This tick's canary: looked up each tick (one indexed query). A configured name the registry does not have, or
     * too large a file, is logged once per change and checked by no one: an operator's slip must not strike every
     * node.
     */
    private Optional<Canary> canary() {
        Optional<String> name = settings.canaryName();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Optional<Canary> canary = tribunal.canary(name.get());
        String problem = canary.isEmpty()
                ? "the canary " + name.get() + " (pomf.witness.canary) is not in the registry, or taken down:"
                        + " no canary checks until it is"
                : canary.get().size() > Canary.MAX_SIZE
                        ? "the canary " + name.get() + " has " + canary.get().size() + " bytes, more than "
                                + Canary.MAX_SIZE + ": no canary checks (choose a small file)"
                        : null;
        if (problem != null && !problem.equals(canaryProblem)) {
            LOG.warning(problem);
        } else if (problem == null && canaryProblem != null) {
            LOG.info(() -> "the canary " + name.get() + " is checked on every node again");
        }
        canaryProblem = problem;
        return problem == null ? canary : Optional.empty();
    }

    /** The reference points are asked only when many nodes failed together (the guard's only use for them). */
    private Optional<Boolean> referencesIfNeeded(List<CheckResult> results, int nodes) {
        long failing = results.stream()
                .filter(r -> r.outcome().failed())
                .map(CheckResult::node)
                .distinct()
                .count();
        if (failing < settings.guard().minFailing()) {
            return Optional.of(true);
        }
        return References.anyAnswers(settings.references(), settings.sshTimeout(), executor);
    }

    @PreDestroy
    void stop() {
        if (prober != null) {
            prober.close();
        }
    }
}
