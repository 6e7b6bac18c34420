package pomf.traffic.entity;

/**
 * One role's traffic in one UTC minute (epoch seconds, a multiple of 60) on one instance: a row of
 * {@code traffic_minute}, or a part of it (parts add up).
 */
public record MinuteRow(
        String role,
        long minute,
        long requests,
        long bytesSent,
        long status2xx,
        long status3xx,
        long status4xx,
        long status5xx,
        long hits,
        long misses,
        long stale,
        long revalidated,
        long bytesFromOrigin) {

    /** The counts in column order, from {@code requests} to {@code bytesFromOrigin}. */
    public long[] counts() {
        return new long[] {
            requests,
            bytesSent,
            status2xx,
            status3xx,
            status4xx,
            status5xx,
            hits,
            misses,
            stale,
            revalidated,
            bytesFromOrigin
        };
    }

    public static MinuteRow of(String role, long minute, long[] counts) {
        return new MinuteRow(
                role,
                minute,
                counts[0],
                counts[1],
                counts[2],
                counts[3],
                counts[4],
                counts[5],
                counts[6],
                counts[7],
                counts[8],
                counts[9],
                counts[10]);
    }
}
