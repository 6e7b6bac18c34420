package pomf.health.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LivenessCheckTest {
    @BeforeAll
    static void responses() {
        HealthResponses.install();
    }

    @Test
    void aliveWhileItAnswersWithTheHeapsUseAndCeiling() {
        HealthCheckResponse response = new LivenessCheck().call();

        assertThat(response.getName()).isEqualTo("pomf-live");
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        Map<String, Object> data = response.getData().orElseThrow();
        assertThat(data).containsOnlyKeys("heapUsedBytes", "heapMaxBytes");
        assertThat(data.get("heapMaxBytes")).isEqualTo(Runtime.getRuntime().maxMemory());
        assertThat((Long) data.get("heapUsedBytes"))
                .isPositive()
                .isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
    }

    @Test
    void theHeapInUseGrowsWithWhatIsHeld() {
        System.gc();
        long before = (Long) new LivenessCheck().call().getData().orElseThrow().get("heapUsedBytes");
        byte[][] held = new byte[16][];
        for (int i = 0; i < held.length; i++) {
            held[i] = new byte[4 << 20]; // 64 MiB in all, held across the second call
        }
        long after = (Long) new LivenessCheck().call().getData().orElseThrow().get("heapUsedBytes");

        assertThat(after - before).isGreaterThan(32L << 20);
        assertThat(held[15]).hasSize(4 << 20);
    }
}
