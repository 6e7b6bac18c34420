package pomf.edge.control;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import pomf.traffic.entity.CacheStatus;

/** What an edge did: answers per cache status, bytes from the cache and from the origin. */
public final class EdgeCounters {
    private final Map<CacheStatus, LongAdder> answers = new EnumMap<>(CacheStatus.class);
    private final LongAdder fromCache = new LongAdder();
    private final LongAdder fromOrigin = new LongAdder();
    private final LongAdder atListener = new LongAdder();
    private volatile LongConsumer originListener = bytes -> {};

    public EdgeCounters() {
        for (CacheStatus s : CacheStatus.values()) {
            answers.put(s, new LongAdder());
        }
    }

    public void answered(CacheStatus status) {
        answers.get(status).increment();
    }

    /** One more answer given at the listener, before the servlet container (counted in its status too). */
    public void answeredAtListener() {
        atListener.increment();
    }

    public long answersAtListener() {
        return atListener.sum();
    }

    public void fromCache(long bytes) {
        fromCache.add(bytes);
    }

    public void fromOrigin(long bytes) {
        fromOrigin.add(bytes);
        originListener.accept(bytes);
    }

    /** Also tells {@code listener} of every byte fetched from the origin (the traffic records). */
    public void onFromOrigin(LongConsumer listener) {
        originListener = listener;
    }

    public long answers(CacheStatus status) {
        return answers.get(status).sum();
    }

    public long bytesFromCache() {
        return fromCache.sum();
    }

    public long bytesFromOrigin() {
        return fromOrigin.sum();
    }

    /** Share of answers served without waiting for the origin (HIT, REVALIDATED, STALE, UPDATING). */
    public double hitRatio() {
        long hits = answers(CacheStatus.HIT)
                + answers(CacheStatus.REVALIDATED)
                + answers(CacheStatus.STALE)
                + answers(CacheStatus.UPDATING);
        long all = answers.values().stream().mapToLong(LongAdder::sum).sum();
        return all == 0 ? 0 : (double) hits / all;
    }
}
