package pomf.it.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load clients saw, counted per phase × address × outcome ("ok", "wrong_body", "http_error(503)",
 * "connect_error"), with bytes received and latencies in a 1 ms histogram (bounded memory on long runs). Thread-safe.
 */
public final class LoadReport {
    private static final int MAX_MILLIS = 120_000;
    private static final int MAX_NOTES = 50;

    private record Key(String phase, String address, String outcome) {}

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<Key, LongAdder> cache = new ConcurrentHashMap<>();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder ranges = new LongAdder();
    private final LongAdder rangesAnsweredWhole = new LongAdder();
    private final AtomicLongArray millis = new AtomicLongArray(MAX_MILLIS + 1);
    private final ConcurrentLinkedQueue<String> notes = new ConcurrentLinkedQueue<>();
    private final LongAdder noteCount = new LongAdder();

    void record(String phase, String address, String outcome, long received, long nanos, boolean range) {
        counts.computeIfAbsent(new Key(phase, address, outcome), k -> new LongAdder())
                .increment();
        bytes.add(received);
        if (range) {
            ranges.increment();
        }
        millis.incrementAndGet((int) Math.min(MAX_MILLIS, nanos / 1_000_000));
    }

    /** The edge's X-Cache-Status of an answer (HIT, MISS, STALE, ...), counted per phase and address. */
    void cacheStatus(String phase, String address, String status) {
        cache.computeIfAbsent(new Key(phase, address, status == null ? "none" : status), k -> new LongAdder())
                .increment();
    }

    /** Answers of a phase with a cache status; null for phase or status means any. */
    public long cacheCount(String phase, String status) {
        return cache.entrySet().stream()
                .filter(e -> phase == null || e.getKey().phase().equals(phase))
                .filter(e -> status == null || e.getKey().outcome().equals(status))
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    /** Requests that reached the address (any outcome but a failed connection), as the edge itself counts them. */
    public long answeredBy(String address) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().address().equals(address))
                .filter(e -> !e.getKey().outcome().equals("connect_error"))
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    /** Phases in the order they were first seen is not kept: sorted names. */
    public Set<String> phases() {
        Set<String> seen = new TreeSet<>();
        counts.keySet().forEach(k -> seen.add(k.phase()));
        return seen;
    }

    void rangeAnsweredWhole() {
        rangesAnsweredWhole.increment();
    }

    /** Keeps the first few explanations (wrong bodies, odd answers) for the table; later ones are only counted. */
    void note(String text) {
        noteCount.increment();
        if (notes.size() < MAX_NOTES) {
            notes.add(text);
        }
    }

    /** Requests of a phase with an outcome; null for phase or outcome means any. */
    public long count(String phase, String address, String outcome) {
        return counts.entrySet().stream()
                .filter(e -> phase == null || e.getKey().phase().equals(phase))
                .filter(e -> address == null || e.getKey().address().equals(address))
                .filter(e -> outcome == null || e.getKey().outcome().equals(outcome))
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    public long total() {
        return count(null, null, null);
    }

    /** The exit check: any wrong body fails the rehearsal. */
    public long wrongBodies() {
        return count(null, null, "wrong_body");
    }

    /** Addresses that got at least one request in the phase (null: any phase). */
    public Set<String> addresses(String phase) {
        Set<String> used = new TreeSet<>();
        counts.keySet().stream()
                .filter(k -> phase == null || k.phase().equals(phase))
                .forEach(k -> used.add(k.address()));
        return used;
    }

    /** Outcomes seen in the phase (null: any). */
    public Set<String> outcomes(String phase) {
        Set<String> seen = new TreeSet<>();
        counts.keySet().stream()
                .filter(k -> phase == null || k.phase().equals(phase))
                .forEach(k -> seen.add(k.outcome()));
        return seen;
    }

    public long bytes() {
        return bytes.sum();
    }

    public long ranges() {
        return ranges.sum();
    }

    public long rangesAnsweredWhole() {
        return rangesAnsweredWhole.sum();
    }

    public List<String> notes() {
        return new ArrayList<>(notes);
    }

    /** The latency below which the share q (0..1) of requests completed, in milliseconds. */
    public long latencyMillis(double q) {
        long total = 0;
        for (int i = 0; i <= MAX_MILLIS; i++) {
            total += millis.get(i);
        }
        long wanted = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i <= MAX_MILLIS; i++) {
            seen += millis.get(i);
            if (seen >= Math.max(1, wanted)) {
                return i;
            }
        }
        return 0;
    }

    /** Phase × address rows, one column per outcome, then the totals. */
    public String table() {
        Set<String> outcomes = outcomes(null);
        Map<String, Map<String, Long>> rows = new TreeMap<>();
        counts.forEach((k, v) -> rows.computeIfAbsent(k.phase() + " " + k.address(), r -> new TreeMap<>())
                .merge(k.outcome(), v.sum(), Long::sum));
        StringBuilder out = new StringBuilder(String.format("%-32s", "phase address"));
        outcomes.forEach(o -> out.append(String.format(" %16s", o)));
        out.append('\n');
        rows.forEach((row, byOutcome) -> {
            out.append(String.format("%-32s", row));
            outcomes.forEach(o -> out.append(String.format(" %16d", byOutcome.getOrDefault(o, 0L))));
            out.append('\n');
        });
        out.append(String.format(
                "requests %d, ranges %d (%d answered whole), bytes %d, latency p50 %d ms, p99 %d ms, wrong bodies %d%n",
                total(),
                ranges(),
                rangesAnsweredWhole(),
                bytes(),
                latencyMillis(0.5),
                latencyMillis(0.99),
                wrongBodies()));
        notes.forEach(n -> out.append("  ").append(n).append('\n'));
        if (noteCount.sum() > notes.size()) {
            out.append("  ... ").append(noteCount.sum() - notes.size()).append(" more notes\n");
        }
        return out.toString();
    }
}
