package pomf.traffic.entity;

/** nginx's {@code $upstream_cache_status}, sent as {@code X-Cache-Status}. */
public enum CacheStatus {
    MISS,
    BYPASS,
    EXPIRED,
    STALE,
    UPDATING,
    REVALIDATED,
    HIT
}
