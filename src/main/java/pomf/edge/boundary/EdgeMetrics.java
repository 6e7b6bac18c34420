package pomf.edge.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;
import pomf.edge.control.EdgeCache;
import pomf.edge.control.EdgeCounters;
import pomf.edge.control.EdgeSettings;
import pomf.traffic.entity.CacheStatus;

/**
 * Opens the edge cache at startup (not on the first request, so a cold start is logged at boot) and publishes its
 * counters on {@code /metrics}: answers per cache status, bytes from cache and origin, hit ratio, store size, the
 * origin lanes taken and the requests waiting for one.
 */
@ApplicationScoped
public class EdgeMetrics {
    private static final long STORE_SIZE_EVERY_MILLIS = 30_000;

    @Inject
    EdgeCache cache;

    @Inject
    EdgeSettings settings;

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    private final AtomicLong storeBytes = new AtomicLong();
    private volatile long measuredAt;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (!cache.enabled()) {
            return;
        }
        EdgeCounters counters = cache.counters();
        for (CacheStatus status : CacheStatus.values()) {
            registry.gauge("pomf_edge_answers", () -> counters.answers(status), new Tag("status", status.name()));
        }
        registry.gauge("pomf_edge_listener_answers", counters::answersAtListener);
        registry.gauge("pomf_edge_bytes_from_cache", counters::bytesFromCache);
        registry.gauge("pomf_edge_bytes_from_origin", counters::bytesFromOrigin);
        registry.gauge("pomf_edge_hit_ratio", counters::hitRatio);
        registry.gauge("pomf_edge_store_bytes", this::storeBytes);
        registry.gauge("pomf_edge_origin_up", () -> cache.originUp() ? 1 : 0);
        registry.gauge("pomf_edge_origin_lanes_busy", () -> cache.lanes().busy());
        registry.gauge("pomf_edge_origin_lanes_waiting", () -> cache.lanes().waiting());
    }

    /** The disk the store really takes, measured at most every 30 s (a walk of the cache folder). */
    long storeBytes() {
        long now = System.currentTimeMillis();
        if (now - measuredAt > STORE_SIZE_EVERY_MILLIS) {
            measuredAt = now;
            try (Stream<Path> files = Files.walk(Path.of(settings.cacheDir()))) {
                storeBytes.set(files.filter(Files::isRegularFile)
                        .mapToLong(EdgeMetrics::size)
                        .sum());
            } catch (IOException e) {
                // keep the last figure
            }
        }
        return storeBytes.get();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
