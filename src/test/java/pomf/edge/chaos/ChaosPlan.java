package pomf.edge.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A chaos run: the seed, the clients, the objects, and the phases the edge goes through (each its own settings,
 * entered by a clean stop or by kill -9, some with kill -9 and a restart on the same folders inside them). The short
 * plan is the build's; the full plan is {@code src/bench/edge-chaos.sh}'s.
 *
 * @param readMillis the clients' read timeout: a silence this long is a stall, since the edge's own waits for the
 *     origin end after 2 s
 */
record ChaosPlan(
        String name,
        long seed,
        int threads,
        int readMillis,
        List<Long> sizes,
        List<Phase> phases,
        int edgePort,
        int originPort) {

    /** How a phase begins: the first start, the previous edge stopped with SIGTERM (warm), or killed (cold). */
    enum Entry {
        FIRST,
        SIGTERM,
        KILL
    }

    /**
     * @param killsAt fractions of the phase's length at which the edge is killed with SIGKILL and started again
     * @param tmpfsMegabytes a fresh cache folder on a tmpfs this big (a disk tier that fills up); 0 for none
     */
    record Phase(
            String name,
            Duration length,
            Entry entry,
            Map<String, String> settings,
            boolean freshFolder,
            int tmpfsMegabytes,
            List<Double> killsAt) {}

    /** Sizes on the boundaries that matter; 281 (the error page's size) is left out on purpose. */
    private static List<Long> sizes(long large, boolean withEight) {
        List<Long> sizes = new ArrayList<>(List.of(
                0L,
                1L,
                2L,
                17L,
                280L,
                282L,
                1000L,
                4096L,
                4097L,
                16_384L,
                65_536L,
                65_537L,
                65_538L,
                100_000L,
                1_047_551L,
                1_047_552L,
                1_047_553L,
                2_095_104L,
                2_095_105L,
                3_000_000L,
                5_000_000L));
        if (withEight) {
            sizes.add(8L << 20);
        }
        sizes.add(large);
        return List.copyOf(sizes);
    }

    /** About two minutes: min-uses 1, then kill -9 and a cold start with min-uses 2. */
    static ChaosPlan quick(long seed) {
        return new ChaosPlan(
                "short",
                seed,
                16,
                10_000,
                sizes(24L << 20, false),
                List.of(
                        new Phase(
                                "min-uses 1",
                                Duration.ofSeconds(40),
                                Entry.FIRST,
                                Map.of("pomf.edge.min-uses", "1"),
                                true,
                                0,
                                List.of()),
                        new Phase(
                                "min-uses 2 after kill -9",
                                Duration.ofSeconds(45),
                                Entry.KILL,
                                Map.of("pomf.edge.min-uses", "2"),
                                false,
                                0,
                                List.of())),
                18710,
                18711);
    }

    /**
     * {@code minutes} of traffic over four phases: min-uses 1 and 2 on the default chunk, small chunks (a warm store
     * of the other chunk size behind them), and a disk tier on a small tmpfs (or, where no tmpfs can be mounted, a
     * fresh folder, said so in its name); each with a kill -9 and a restart half-way.
     */
    static ChaosPlan full(long seed, double minutes, int threads, String tmpfsUnavailable) {
        Duration quarter = Duration.ofMillis((long) (minutes * 60_000 / 4));
        List<Double> half = List.of(0.5);
        return new ChaosPlan(
                "full",
                seed,
                threads,
                10_000,
                sizes(48L << 20, true),
                List.of(
                        new Phase("min-uses 1", quarter, Entry.FIRST, Map.of("pomf.edge.min-uses", "1"), true, 0, half),
                        new Phase(
                                "min-uses 2",
                                quarter,
                                Entry.SIGTERM,
                                Map.of("pomf.edge.min-uses", "2"),
                                false,
                                0,
                                half),
                        new Phase(
                                "chunks of 65,537 B",
                                quarter,
                                Entry.SIGTERM,
                                Map.of("pomf.edge.min-uses", "1", "pomf.edge.chunk-size", "65537"),
                                false,
                                0,
                                half),
                        tmpfsUnavailable == null
                                ? new Phase(
                                        "full disk tier (tmpfs 24 MiB)",
                                        quarter,
                                        Entry.SIGTERM,
                                        // min-free 0: the tier fills up under Ehcache (the fault path, not the floor)
                                        Map.of("pomf.edge.min-uses", "1", "pomf.edge.min-free", "0"),
                                        true,
                                        24,
                                        half)
                                : new Phase(
                                        "fresh folder (no tmpfs: " + tmpfsUnavailable + ")",
                                        quarter,
                                        Entry.SIGTERM,
                                        Map.of("pomf.edge.min-uses", "1"),
                                        true,
                                        0,
                                        half)),
                18720,
                18721);
    }

    long minAnswers() {
        return name.equals("full") ? 200_000 : 5_000;
    }
}
