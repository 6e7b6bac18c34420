package pomf.traffic.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import pomf.traffic.entity.CacheStatus;
import pomf.traffic.entity.FileHourRow;
import pomf.traffic.entity.MinuteRow;

/**
 * The in-memory traffic tally: a request adds to striped counters (no lock, no database). Draining takes what each
 * counter holds and subtracts exactly that, so an answer recorded during a drain is never lost, only left for the
 * next one; a bucket is forgotten only a minute after it ended, when no request can still be adding to it.
 */
public final class Tally {
    static final int REQUESTS = 0, BYTES = 1, STATUS_2XX = 2, HITS = 6, MISSES = 7, STALE = 8, REVALIDATED = 9;
    static final int FROM_ORIGIN = 10, COUNTS = 11;
    private static final long GRACE_SECONDS = 60;

    private record MinuteKey(String role, long minute) {}

    /** The counters a role added to last, so that a request finds them without a key or a hash of its own. */
    private record Recent(long minute, LongAdder[] counters) {}

    /** One hour's per-file counters, so a request looks its file up by name alone. */
    private record Hour(long hour, ConcurrentHashMap<String, LongAdder[]> files) {}

    private final ConcurrentHashMap<MinuteKey, LongAdder[]> minutes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, ConcurrentHashMap<String, LongAdder[]>> hours = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Recent> recent = new ConcurrentHashMap<>();
    private volatile Hour currentHour = new Hour(Long.MIN_VALUE, null);

    /** One answer: its status class, body bytes, cache status (edges; else null) and stored file (null if none). */
    public void answered(String role, long nowMillis, int status, long bytes, CacheStatus cache, String file) {
        LongAdder[] c = counters(role, nowMillis);
        c[REQUESTS].increment();
        c[BYTES].add(bytes);
        if (status >= 200 && status < 600) {
            c[STATUS_2XX + status / 100 - 2].increment();
        }
        if (cache != null) {
            c[cacheColumn(cache)].increment();
        }
        if (file != null) {
            LongAdder[] f = fileCounters(file, nowMillis);
            f[0].increment();
            f[1].add(bytes);
        }
    }

    /**
     * Bytes a long answer took, counted when it ended ({@link #answered} counted the request with none of them):
     * an answer cut short counts what it sent, not what it promised.
     */
    public void sent(String role, long nowMillis, long bytes, String file) {
        counters(role, nowMillis)[BYTES].add(bytes);
        if (file != null) {
            fileCounters(file, nowMillis)[1].add(bytes);
        }
    }

    /** Bytes an edge fetched from the origin, whichever request (or prefetch) they were for. */
    public void fromOrigin(String role, long nowMillis, long bytes) {
        counters(role, nowMillis)[FROM_ORIGIN].add(bytes);
    }

    private LongAdder[] counters(String role, long nowMillis) {
        long minute = minuteOf(nowMillis);
        Recent last = recent.get(role);
        if (last != null && last.minute() == minute) {
            return last.counters();
        }
        LongAdder[] c = minutes.computeIfAbsent(new MinuteKey(role, minute), k -> adders(COUNTS));
        recent.put(role, new Recent(minute, c));
        return c;
    }

    private LongAdder[] fileCounters(String file, long nowMillis) {
        long hour = hourOf(nowMillis);
        Hour current = currentHour;
        if (current.hour() != hour) {
            current = new Hour(hour, hours.computeIfAbsent(hour, h -> new ConcurrentHashMap<>()));
            currentHour = current;
        }
        LongAdder[] f = current.files().get(file);
        return f != null ? f : current.files().computeIfAbsent(file, k -> adders(2));
    }

    /** Everything tallied so far, the current minute and hour included (rows add up when written); one at a time. */
    public synchronized Drained drain(long nowMillis) {
        long now = Math.floorDiv(nowMillis, 1000);
        List<MinuteRow> minuteRows = new ArrayList<>();
        minutes.forEach((key, counters) -> {
            long[] taken = take(counters);
            if (nonZero(taken)) {
                minuteRows.add(MinuteRow.of(key.role(), key.minute(), taken));
            } else if (key.minute() + 60 + GRACE_SECONDS < now) {
                minutes.remove(key, counters);
            }
        });
        List<FileHourRow> fileRows = new ArrayList<>();
        hours.forEach((hour, files) -> {
            files.forEach((name, counters) -> {
                long[] taken = take(counters);
                if (nonZero(taken)) {
                    fileRows.add(new FileHourRow(name, hour, taken[0], taken[1]));
                } else if (hour + 3600 + GRACE_SECONDS < now) {
                    files.remove(name, counters);
                }
            });
            if (files.isEmpty() && hour + 3600 + GRACE_SECONDS < now) {
                hours.remove(hour, files);
            }
        });
        return new Drained(minuteRows, fileRows);
    }

    public record Drained(List<MinuteRow> minutes, List<FileHourRow> files) {}

    /** Buckets held (for tests: drained, ended buckets are let go). */
    int buckets() {
        return minutes.size() + hours.values().stream().mapToInt(Map::size).sum();
    }

    public static long minuteOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 60_000) * 60;
    }

    public static long hourOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 3_600_000) * 3600;
    }

    static int cacheColumn(CacheStatus status) {
        return switch (status) {
            case HIT -> HITS;
            case MISS, EXPIRED, BYPASS -> MISSES;
            case STALE, UPDATING -> STALE;
            case REVALIDATED -> REVALIDATED;
        };
    }

    private static long[] take(LongAdder[] counters) {
        long[] taken = new long[counters.length];
        for (int i = 0; i < counters.length; i++) {
            taken[i] = counters[i].sum();
            if (taken[i] != 0) {
                counters[i].add(-taken[i]);
            }
        }
        return taken;
    }

    private static boolean nonZero(long[] values) {
        for (long v : values) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
