package pomf.edge.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import pomf.it.clients.PomfClient;
import pomf.it.deployments.Deployments;
import pomf.it.origin.TestOrigin;
import pomf.it.origin.TestOriginObject;

/**
 * An edge has at most {@code pomf.edge.origin-lanes} requests at the origin waiting for their heads; the rest wait
 * in line without a thread and go when a lane frees, or get a 503 after waiting {@code connect-timeout} (issue 14:
 * a flood of made-up names put as many lookups on the origin at once as it had connections).
 */
@ExtendWith(ArquillianExtension.class)
class OriginLanesIT {
    static final TestOrigin ORIGIN = TestOrigin.start();
    static final int LANES = 2;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.edge(
                ORIGIN.url(),
                Deployments.newStorage(),
                Map.of(
                        "pomf.edge.origin-lanes", String.valueOf(LANES),
                        "pomf.edge.min-uses", "2",
                        "pomf.edge.connect-timeout", "6s",
                        "pomf.edge.read-timeout", "30s",
                        "pomf.edge.breaker-failures", "1000"));
    }

    @AfterEach
    void heal() {
        ORIGIN.clearFaults();
        ORIGIN.resetCounters();
    }

    @AfterAll
    static void stopOrigin() {
        ORIGIN.close();
    }

    @Test
    void requestsBeyondTheLanesWaitInLineAndAllAreAnsweredRight() throws Exception {
        List<TestOriginObject> objects = new ArrayList<>();
        for (int i = 0; i < LANES + 3; i++) {
            objects.add(ORIGIN.put("/f/lane" + i + "x.bin", PomfClient.random(1000 + i)));
        }
        ORIGIN.blackHole(true);
        List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            String name = "lane" + i + "x.bin";
            // Below min uses: passed through, each its own request to the origin.
            answers.add(CompletableFuture.supplyAsync(() -> EdgeClient.get(name)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("waiting") == 3 && gauge("busy") == LANES);
        assertThat(ORIGIN.totalRequests()).isEqualTo(LANES);

        ORIGIN.blackHole(false);
        for (int i = 0; i < objects.size(); i++) {
            HttpResponse<byte[]> answer = answers.get(i).get(20, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(objects.get(i).bytes());
            assertThat(EdgeClient.status(answer)).isEqualTo("MISS");
        }
        assertThat(ORIGIN.totalRequests()).isEqualTo(objects.size());
        await().atMost(Duration.ofSeconds(5)).until(() -> gauge("waiting") == 0 && gauge("busy") == 0);
    }

    @Test
    void aRequestThatWaitedConnectTimeoutForALaneIsToldTheOriginIsBusy() throws Exception {
        List<TestOriginObject> objects = new ArrayList<>();
        for (int i = 0; i <= LANES; i++) {
            objects.add(ORIGIN.put("/f/busy" + i + "x.bin", PomfClient.random(500)));
        }
        ORIGIN.blackHole(true);
        List<CompletableFuture<HttpResponse<byte[]>>> inLanes = new ArrayList<>();
        for (int i = 0; i < LANES; i++) {
            String name = "busy" + i + "x.bin";
            inLanes.add(CompletableFuture.supplyAsync(() -> EdgeClient.get(name)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ORIGIN.totalRequests() == LANES);

        HttpResponse<byte[]> refused = EdgeClient.get("busy" + LANES + "x.bin");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(new String(refused.body(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("busy");
        assertThat(ORIGIN.requests("/f/busy" + LANES + "x.bin")).isZero();

        ORIGIN.blackHole(false);
        for (int i = 0; i < LANES; i++) {
            HttpResponse<byte[]> answer = inLanes.get(i).get(20, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(objects.get(i).bytes());
        }
        // The lanes are free again: the refused one goes through now.
        HttpResponse<byte[]> again = EdgeClient.get("busy" + LANES + "x.bin");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(objects.get(LANES).bytes());
    }

    private static long gauge(String which) {
        String metrics = PomfClient.getText("/metrics").body();
        String prefix = "pomf_edge_origin_lanes_" + which + "{mp_scope=\"application\"} ";
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) {
                return (long) Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        return -1;
    }
}
