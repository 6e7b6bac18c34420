package pomf.witness.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.threads.control.Threads;

/**
 * The ping check. Both ways to ping block a thread, so pings run on a bounded pool. A ping may wait for a thread as
 * long as the HTTPS and SSH checks of the tick take anyway (so 256 threads ping about 640 silent nodes in a 5 s tick);
 * one that cannot start even then is {@link Outcome#NOT_CHECKED} — the witness's capacity, neither the node's fault
 * nor its network's — so a tick ends within {@link #deadline(ProbeSettings)} however many nodes there are.
 */
public final class IcmpProbe implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IcmpProbe.class.getName());
    /** Above the ping's own timeout: a process to start, a thread to wake. */
    private static final Duration SLACK = Duration.ofMillis(500);

    private final Pinger pinger;
    private final Duration timeout;
    private final Duration queueBudget;
    private final int threads;
    private final ExecutorService pool;

    public IcmpProbe(ProbeSettings settings) {
        this(settings, Pinger.detect());
    }

    IcmpProbe(ProbeSettings settings, Pinger pinger) {
        this.pinger = pinger;
        this.timeout = settings.pingTimeout();
        this.queueBudget = queueBudget(settings);
        this.threads = settings.maxConcurrentPings();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                Threads.named(settings.threads(), "witness-ping"));
        // Starting a thread waits until it runs: under a busy tick 256 first starts took 2.3 s of the tick's time.
        workers.prestartAllCoreThreads();
        this.pool = workers;
        if (pinger instanceof NoPing) {
            LOG.log(Level.WARNING, "Ping checks {0}: every ping check is recorded as a witness fault", mode());
        } else {
            LOG.log(Level.INFO, "Ping checks by {0}", mode());
        }
    }

    /** How long a ping may wait for a thread: while the tick's other checks run, and at least one ping timeout. */
    static Duration queueBudget(ProbeSettings settings) {
        Duration others = settings.httpsTimeout().compareTo(settings.sshTimeout()) >= 0
                ? settings.httpsTimeout()
                : settings.sshTimeout();
        Duration rest = others.minus(settings.pingTimeout());
        return rest.compareTo(settings.pingTimeout()) > 0 ? rest : settings.pingTimeout();
    }

    /** The longest a ping check takes: waiting for a thread, the ping, the slack. */
    static Duration deadline(ProbeSettings settings) {
        return queueBudget(settings).plus(settings.pingTimeout()).plus(SLACK);
    }

    /** {@code "icmp"}, {@code "ping command"} or {@code "unavailable: <reason>"}. */
    public String mode() {
        return pinger.mode();
    }

    /** Never fails: every error becomes a result, and the result comes at the latest at the deadline. */
    public CompletableFuture<CheckResult> check(Target target) {
        long start = System.nanoTime();
        return finding(target.address(), start).thenApply(finding -> finding.result(target, Check.PING, start));
    }

    private CompletableFuture<Finding> finding(String address, long submitted) {
        CompletableFuture<Finding> finding = new CompletableFuture<>();
        AtomicBoolean started = new AtomicBoolean();
        try {
            pool.execute(() -> ping(address, submitted, started, finding));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(new Finding(Outcome.LOCAL_ERROR, "the ping probe is closed"));
        }
        return finding.completeOnTimeout(
                        null, queueBudget.plus(timeout).plus(SLACK).toNanos(), TimeUnit.NANOSECONDS)
                .thenApply(done -> done != null ? done : late(started.get()));
    }

    private void ping(String address, long submitted, AtomicBoolean started, CompletableFuture<Finding> finding) {
        if (System.nanoTime() - submitted > queueBudget.toNanos()) {
            finding.complete(late(false));
            return;
        }
        started.set(true);
        // The hard deadline of this ping, from its start: neither isReachable nor a process may hold the check longer.
        finding.completeOnTimeout(
                Finding.timeout("no echo reply", timeout), timeout.plus(SLACK).toNanos(), TimeUnit.NANOSECONDS);
        try {
            finding.complete(pinger.ping(InetAddress.getByName(address), timeout));
        } catch (UnknownHostException e) {
            finding.complete(Finding.of(e, Outcome.LOCAL_ERROR, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finding.complete(new Finding(Outcome.LOCAL_ERROR, "the ping probe is closing"));
        } catch (RuntimeException e) {
            finding.complete(Finding.of(e, Outcome.LOCAL_ERROR, timeout));
        }
    }

    private Finding late(boolean started) {
        return started
                ? Finding.timeout("no echo reply", timeout)
                : new Finding(
                        Outcome.NOT_CHECKED,
                        "not pinged: all " + threads + " ping threads were busy for " + Finding.seconds(queueBudget)
                                + " (raise pomf.witness.ping.threads)");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
