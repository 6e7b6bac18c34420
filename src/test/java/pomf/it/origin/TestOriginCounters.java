package pomf.it.origin;

import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What reached a {@link TestOrigin}, per path. Requests are counted on arrival, before any fault holds them, so a
 * test sees "exactly one origin fetch" while that fetch is still in progress.
 */
final class TestOriginCounters {
    /** The counters of one path; written by request threads, read by the test thread. */
    static final class Path {
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger fullFetches = new AtomicInteger();
        final AtomicLong bytesSent = new AtomicLong();
        final List<String> ranges = new CopyOnWriteArrayList<>();
        volatile Map<String, String> lastHeaders = Map.of();
    }

    private final Map<String, Path> paths = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    Path of(String path) {
        return paths.computeIfAbsent(path, p -> new Path());
    }

    int total() {
        return total.get();
    }

    /** Counts a request: every method in the total, GET and HEAD also per path with their Range and headers. */
    Path arrived(String method, String path, Headers headers) {
        total.incrementAndGet();
        Path counters = of(path);
        if (method.equals("GET") || method.equals("HEAD")) {
            counters.requests.incrementAndGet();
            String range = headers.getFirst("Range");
            if (range != null) {
                counters.ranges.add(range);
            }
            Map<String, String> copy = new TreeMap<>();
            headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
            counters.lastHeaders = Map.copyOf(copy);
        }
        return counters;
    }

    /** Requests still in flight keep counting into the counters they started with, which no test reads any more. */
    void reset() {
        paths.clear();
        total.set(0);
    }
}
