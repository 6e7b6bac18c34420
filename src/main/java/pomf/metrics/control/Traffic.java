package pomf.metrics.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Application counters on {@code /metrics} (Prometheus text, scope "application"): what an operator graphs
 * and alerts on — uploads, refusals by status, dedup savings, downloads and bytes served.
 */
@ApplicationScoped
public class Traffic {

    @Inject
    @RegistryScope(scope = MetricRegistry.APPLICATION_SCOPE)
    MetricRegistry registry;

    public void uploaded(long bytes, boolean duplicate) {
        registry.counter("pomf_uploads").inc();
        registry.counter("pomf_upload_bytes").inc(bytes);
        if (duplicate) {
            registry.counter("pomf_upload_duplicates").inc();
            registry.counter("pomf_dedup_saved_bytes").inc(bytes);
        }
    }

    public void refused(int status) {
        Counter counter = registry.counter("pomf_upload_refusals", new Tag("status", Integer.toString(status)));
        counter.inc();
    }

    /** The bytes a long answer took, when it ended (counted by {@link #served} with none). */
    public void sent(long bytes) {
        registry.counter("pomf_file_bytes_sent").inc(bytes);
    }

    public void served(int status, long bytes) {
        registry.counter("pomf_file_responses", new Tag("status", Integer.toString(status)))
                .inc();
        registry.counter("pomf_file_bytes_sent").inc(bytes);
    }
}
