package pomf.edge.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Changes while the edge serves: re-uploads (new versions), removals and re-additions at the origin, purges through
 * the edge's API, and purges right behind a re-upload of a large object, while its chunks are still being filled.
 * A few a second, drawn from a seeded random.
 */
final class Churn implements Runnable {
    private record Readd(String path, long dueMillis) {}

    private final ChaosCatalogue catalogue;
    private final EdgeNode edge;
    private final EventLog events;
    private final Random random;
    private final List<Readd> removed = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private volatile boolean running = true;

    Churn(ChaosCatalogue catalogue, EdgeNode edge, EventLog events, Random random) {
        this.catalogue = catalogue;
        this.edge = edge;
        this.events = events;
        this.random = random;
    }

    @Override
    public void run() {
        try {
            while (running) {
                Thread.sleep(150 + random.nextInt(550));
                readdDue();
                change(random.nextInt(100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        running = false;
    }

    /** How many of each change were made (purges by their outcome). */
    synchronized Map<String, Integer> counts() {
        return new TreeMap<>(counts);
    }

    private void change(int roll) throws InterruptedException {
        String path = catalogue.pick(random);
        if (roll < 45) {
            if (catalogue.present(path)) {
                events.note("re-upload " + path + " -> " + catalogue.reupload(path, random));
                count("re-upload");
            }
        } else if (roll < 55) {
            if (catalogue.present(path)) {
                catalogue.remove(path);
                removed.add(new Readd(path, System.currentTimeMillis() + 1000 + random.nextInt(5000)));
                events.note("removed " + path + " from the origin");
                count("removal");
            }
        } else if (roll < 85) {
            purge(path);
        } else if (roll < 95) {
            String large = random.nextBoolean() ? catalogue.large() : path;
            if (catalogue.present(large)) {
                events.note("re-upload " + large + " -> " + catalogue.reupload(large, random) + ", purge follows");
                count("re-upload");
                Thread.sleep(random.nextInt(300));
                purge(large);
            }
        } else if (catalogue.present(catalogue.large())) {
            events.note("re-upload " + catalogue.large() + " -> " + catalogue.reupload(catalogue.large(), random));
            count("re-upload");
        }
    }

    private void purge(String path) {
        String outcome = edge.purge(path.substring("/f/".length()));
        events.note("purge " + path + ": " + outcome);
        count("purge " + outcome);
    }

    private void readdDue() {
        long now = System.currentTimeMillis();
        removed.removeIf(readd -> {
            if (readd.dueMillis() > now) {
                return false;
            }
            events.note("re-added " + readd.path() + " -> " + catalogue.readd(readd.path(), random));
            count("re-addition");
            return true;
        });
    }

    private synchronized void count(String what) {
        counts.merge(what, 1, Integer::sum);
    }
}
