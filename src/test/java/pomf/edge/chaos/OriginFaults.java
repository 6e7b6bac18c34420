package pomf.edge.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import pomf.it.origin.TestOrigin;
import pomf.it.origin.TestOriginObject;

/**
 * The origin's faults over time, drawn from a seeded random: calm spells between windows of one fault each (5xx, a
 * 404 the origin does not vouch for, bodies cut or stalled at a random byte, a slow origin, a black hole, the origin
 * stopped, faults on a few objects only). Every kind comes once, in a shuffled order, before any comes again, so a
 * short run sees them all. Faults change while requests are in flight.
 */
final class OriginFaults implements Runnable {
    static final List<String> KINDS = List.of(
            "origin 5xx",
            "origin 404 not vouched",
            "bodies cut",
            "bodies stall",
            "slow origin",
            "black hole",
            "origin down",
            "object faults");

    private final TestOrigin origin;
    private final ChaosCatalogue catalogue;
    private final Situation situation;
    private final EventLog events;
    private final Random random;
    private final List<String> order = new ArrayList<>();
    private volatile boolean running = true;

    OriginFaults(TestOrigin origin, ChaosCatalogue catalogue, Situation situation, EventLog events, Random random) {
        this.origin = origin;
        this.catalogue = catalogue;
        this.situation = situation;
        this.events = events;
        this.random = random;
    }

    @Override
    public void run() {
        try {
            while (running) {
                calm(2000 + random.nextInt(4000));
                String kind = next();
                situation.fault(kind);
                String detail = inject(kind);
                events.note("origin fault: " + kind + " (" + detail + ")");
                sleep(2000 + random.nextInt(4000));
                calm(0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heal();
        }
    }

    void stop() {
        running = false;
    }

    private String next() {
        if (order.isEmpty()) {
            order.addAll(KINDS);
            Collections.shuffle(order, random);
        }
        return order.remove(0);
    }

    private String inject(String kind) {
        switch (kind) {
            case "origin 5xx" -> {
                int status = new int[] {500, 502, 503, 504}[random.nextInt(4)];
                origin.failWith(status);
                return "every answer " + status;
            }
            case "origin 404 not vouched" -> {
                origin.failWith(404);
                return "404 without the origin's header";
            }
            case "bodies cut" -> {
                long bytes = (long) (random.nextDouble() * 2_500_000);
                origin.dropAfter(bytes);
                return "connection dropped after " + bytes + " body bytes";
            }
            case "bodies stall" -> {
                long bytes = (long) (random.nextDouble() * 2_000_000);
                Duration pause = Duration.ofMillis(500 + random.nextInt(3500));
                origin.pauseAfter(bytes, pause);
                return "pause of " + pause.toMillis() + " ms after " + bytes + " body bytes";
            }
            case "slow origin" -> {
                long rate = 1_000_000 + random.nextInt(7_000_000);
                Duration delay = Duration.ofMillis(random.nextInt(1500));
                origin.throttle(rate).delayHeaders(delay);
                return rate + " B/s per connection, headers after " + delay.toMillis() + " ms";
            }
            case "black hole" -> {
                origin.blackHole(true);
                return "requests read, never answered";
            }
            case "origin down" -> {
                origin.stop();
                return "listener closed, connections refused";
            }
            default -> {
                return objectFaults();
            }
        }
    }

    private String objectFaults() {
        StringBuilder detail = new StringBuilder();
        for (int i = 2 + random.nextInt(4); i > 0; i--) {
            String path = catalogue.pick(random);
            TestOriginObject object = origin.object(path);
            if (object == null) {
                continue;
            }
            int roll = random.nextInt(3);
            long bytes = (long) (random.nextDouble() * Math.max(1, object.size()));
            if (roll == 0) {
                object.dropAfter(bytes);
                detail.append(path).append(" cut after ").append(bytes).append("; ");
            } else if (roll == 1) {
                object.pauseAfter(bytes, Duration.ofMillis(500 + random.nextInt(3500)));
                detail.append(path).append(" stalls after ").append(bytes).append("; ");
            } else {
                object.failWith(503);
                detail.append(path).append(" 503; ");
            }
        }
        return detail.toString();
    }

    private void calm(long millis) throws InterruptedException {
        heal();
        situation.fault("calm");
        if (millis > 0) {
            sleep(millis);
        }
    }

    private void heal() {
        origin.clearFaults();
        if (!origin.running()) {
            origin.restart();
        }
    }

    private void sleep(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (running && System.currentTimeMillis() < deadline) {
            Thread.sleep(Math.min(100, Math.max(1, deadline - System.currentTimeMillis())));
        }
    }
}
