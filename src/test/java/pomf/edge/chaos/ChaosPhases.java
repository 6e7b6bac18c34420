package pomf.edge.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Walks the edge through the plan's phases: each entered by the first start, a clean stop (the store reopens warm)
 * or kill -9 (it starts cold), with the phase's settings, on the same folder unless the phase asks for a fresh one
 * (or a small tmpfs), and killed and restarted at the phase's kill points. Prints progress while it waits.
 */
final class ChaosPhases {
    private static final long PROGRESS_MILLIS = 15_000;

    private final ChaosPlan plan;
    private final Path folder;
    private final EdgeNode edge;
    private final Situation situation;
    private final EventLog events;
    private final List<Tmpfs> mounts;
    private final ChaosTally tally;
    private long lastProgress = System.currentTimeMillis();

    ChaosPhases(
            ChaosPlan plan,
            Path folder,
            EdgeNode edge,
            Situation situation,
            EventLog events,
            List<Tmpfs> mounts,
            ChaosTally tally) {
        this.plan = plan;
        this.folder = folder;
        this.edge = edge;
        this.situation = situation;
        this.events = events;
        this.mounts = mounts;
        this.tally = tally;
    }

    /** Runs every phase; {@code firstReady} runs once the edge is ready the first time (the load starts then). */
    void run(Runnable firstReady) throws IOException, InterruptedException {
        Path cache = null;
        for (int i = 0; i < plan.phases().size(); i++) {
            ChaosPlan.Phase phase = plan.phases().get(i);
            events.say("phase " + (i + 1) + ": " + phase.name() + ", "
                    + phase.length().toSeconds() + " s, entered by " + phase.entry());
            situation.phase(phase.name());
            switch (phase.entry()) {
                case SIGTERM -> edge.stop();
                case KILL -> edge.kill();
                case FIRST -> {}
            }
            if (cache == null || phase.freshFolder()) {
                cache = cacheFolder(i, phase);
            }
            edge.start(phase.settings(), cache);
            if (i == 0) {
                firstReady.run();
            }
            long start = System.currentTimeMillis();
            for (double at : phase.killsAt()) {
                waitUntil(start + (long) (at * phase.length().toMillis()));
                edge.kill();
                edge.start(phase.settings(), cache);
            }
            waitUntil(start + phase.length().toMillis());
        }
    }

    private Path cacheFolder(int index, ChaosPlan.Phase phase) throws IOException {
        Path cache = folder.resolve("cache-" + (index + 1));
        if (phase.tmpfsMegabytes() == 0) {
            return cache;
        }
        Tmpfs tmpfs = Tmpfs.mount(cache, phase.tmpfsMegabytes());
        mounts.add(tmpfs);
        events.say("a tmpfs of " + phase.tmpfsMegabytes() + " MiB on " + cache + " holds the disk tier");
        // The store's own folder inside the mount: the mount point itself is not ours to remove.
        return cache.resolve("store");
    }

    private void waitUntil(long millis) throws InterruptedException {
        while (System.currentTimeMillis() < millis) {
            Thread.sleep(Math.min(500, Math.max(1, millis - System.currentTimeMillis())));
            if (System.currentTimeMillis() - lastProgress >= PROGRESS_MILLIS) {
                lastProgress = System.currentTimeMillis();
                events.say(tally.progress() + " [" + situation.now() + "]");
            }
        }
    }
}
