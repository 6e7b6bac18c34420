package pomf.health.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the application answers; memory headroom is reported so a leak shows before it kills. */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        return HealthCheckResponse.named("pomf-live")
                .up()
                .withData("heapUsedBytes", used)
                .withData("heapMaxBytes", runtime.maxMemory())
                .build();
    }
}
