package pomf.edge.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The chaos clients: a bounded number of threads, each with its own seeded random and its own connection, asking
 * the edge as fast as it answers and judging every answer at once. A client backs off a few milliseconds after a
 * refused connection or an error, so a dead edge is not hammered in a busy loop.
 */
final class ChaosClients {
    private final int threads;
    private final long seed;
    private final int port;
    private final int readMillis;
    private final RequestDraw draw;
    private final AnswerCheck check;
    private final Situation situation;
    private final ChaosTally tally;
    private final List<Thread> workers = new ArrayList<>();
    private final List<WireClient> clients = new ArrayList<>();
    private volatile boolean running;

    ChaosClients(
            int threads,
            long seed,
            int port,
            int readMillis,
            RequestDraw draw,
            AnswerCheck check,
            Situation situation,
            ChaosTally tally) {
        this.threads = threads;
        this.seed = seed;
        this.port = port;
        this.readMillis = readMillis;
        this.draw = draw;
        this.check = check;
        this.situation = situation;
        this.tally = tally;
    }

    synchronized void start() {
        running = true;
        for (int i = 0; i < threads; i++) {
            WireClient client = new WireClient("127.0.0.1", port, 2_000, readMillis);
            Random random = new Random(seed * 1_000_003L + i);
            Thread worker = new Thread(() -> work(client, random), "chaos-client-" + i);
            worker.setDaemon(true);
            clients.add(client);
            workers.add(worker);
            worker.start();
        }
    }

    /** No new request from now on; those in flight may end within {@code grace}, then their connections are closed. */
    synchronized void finish(Duration grace) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread worker : workers) {
            TimeUnit.NANOSECONDS.timedJoin(worker, Math.max(1, deadline - System.nanoTime()));
        }
        clients.forEach(WireClient::close);
        for (Thread worker : workers) {
            worker.join(10_000);
        }
    }

    private void work(WireClient client, Random random) {
        while (running) {
            for (ChaosRequest request : draw.next(random)) {
                if (!running) {
                    return;
                }
                Verdict verdict = once(client, request);
                if (verdict.kind() != Verdict.Kind.OK && verdict.kind() != Verdict.Kind.ABANDONED) {
                    // Gentler on an edge that is not ready: a starting Payara answers 404 at once, thousands a second.
                    int pause = situation.edgeReadyNow() ? 5 + random.nextInt(20) : 100 + random.nextInt(100);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
                    break; // a series of seeks stops at the first failure, as a player would
                }
            }
            if (random.nextInt(10) == 0) {
                client.drop(); // some requests on new connections, as new visitors
            }
        }
    }

    private Verdict once(WireClient client, ChaosRequest request) {
        Situation.Label label = situation.now();
        BodyMatch[] body = {BodyMatch.unchecked()};
        WireAnswer answer = client.exchange(request, (status, headers) -> {
            body[0] = check.expect(request, status, headers);
            return body[0];
        });
        Verdict verdict = check.judge(request, answer, body[0]);
        tally.record(label, request, answer, body[0], verdict);
        return verdict;
    }
}
