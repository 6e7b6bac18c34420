package pomf.it.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import pomf.it.servers.Bind;

/** The rehearsal's clients against a real BIND and two stand-in edges on their own loopback addresses. */
class LoadClientsTest {
    private static final int DNS_PORT = 18920;
    private static final int HTTP_PORT = 18921;
    private static final String EDGE_A = "127.0.0.91";
    private static final String EDGE_B = "127.0.0.92";
    private static final String HOST = "cdn.load.test";

    @TempDir
    static Path temp;

    private static Catalogue catalogue;

    @BeforeAll
    static void writeFiles() throws Exception {
        Path files = Files.createDirectories(temp.resolve("files"));
        List<CatalogueFile> list = new java.util.ArrayList<>();
        int[] sizes = {10 * 1024, 1024 * 1024, 8 * 1024 * 1024};
        Random random = new Random(6);
        for (int i = 0; i < sizes.length; i++) {
            byte[] content = new byte[sizes[i]];
            random.nextBytes(content);
            String name = "file" + i + ".bin";
            Files.write(files.resolve(name), content);
            String sha = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            list.add(new CatalogueFile(name, sha, content.length));
        }
        catalogue = new Catalogue(list, files::resolve);
    }

    @AfterAll
    static void noThreadsLeft() {
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("load-client-") && t.isAlive());
    }

    @Test
    void countsOkWrongBodiesAndConnectErrorsPerPhaseAndAddress() throws Exception {
        Assumptions.assumeTrue(bindMissing() == null, () -> "skipped: " + bindMissing());
        Path folder = temp.resolve("files");
        try (Bind bind = Bind.start(
                        temp.resolve("bind"), DNS_PORT, "load.test", Map.of("cdn", List.of(EDGE_A, EDGE_B)));
                RangeFileServer a = new RangeFileServer(EDGE_A, HTTP_PORT, folder);
                RangeFileServer b = new RangeFileServer(EDGE_B, HTTP_PORT, folder);
                LoadClients load = new LoadClients(plan(bind, Duration.ofSeconds(60), 0), catalogue)) {
            load.phase("steady");
            load.start();
            Thread.sleep(3_000);
            load.phase("corrupt");
            // A request counts in the phase it started in: those started in "steady" finish (p99 ~50 ms) before the
            // edge starts lying, or one of them would be a wrong body counted in "steady".
            Thread.sleep(300);
            b.corrupt("file0.bin");
            Thread.sleep(1_500);
            b.corrupt(null);
            load.phase("edge-down");
            b.close();
            remove(bind, EDGE_B);
            assertThat(bind.query(HOST)).containsExactly(EDGE_A);
            Thread.sleep(2_000); // resolveEvery is 1 s: the clients have asked again by now
            load.phase("recovered");
            Thread.sleep(1_500);
            load.stop();
            LoadReport report = load.report();
            System.out.println(report.table());

            assertThat(report.outcomes("steady")).containsExactly("ok");
            assertThat(report.addresses("steady")).containsExactly(EDGE_A, EDGE_B);
            assertThat(report.ranges()).isPositive();
            assertThat(report.count("steady", null, "ok")).isGreaterThan(20);
            assertThat(report.count("corrupt", EDGE_B, "wrong_body")).isPositive();
            assertThat(report.count("corrupt", EDGE_A, "wrong_body")).isZero();
            assertThat(report.wrongBodies()).isEqualTo(report.count("corrupt", EDGE_B, "wrong_body"));
            assertThat(report.outcomes("edge-down")).doesNotContain("wrong_body");
            assertThat(report.count("edge-down", EDGE_B, "connect_error")).isPositive();
            assertThat(report.count("edge-down", EDGE_A, "connect_error")).isZero();
            assertThat(report.outcomes("recovered")).containsExactly("ok");
            assertThat(report.addresses("recovered")).containsExactly(EDGE_A);
            assertThat(report.bytes()).isPositive();
            assertThat(report.latencyMillis(0.99)).isGreaterThanOrEqualTo(report.latencyMillis(0.5));
        }
    }

    @Test
    void endsByItselfAfterTheRequestCountAndRetriesNoAddressWithoutSpinning() throws Exception {
        Assumptions.assumeTrue(bindMissing() == null, () -> "skipped: " + bindMissing());
        Path folder = temp.resolve("files");
        try (Bind bind = Bind.start(temp.resolve("bind2"), DNS_PORT, "load.test", Map.of("cdn", List.of(EDGE_A)));
                RangeFileServer a = new RangeFileServer(EDGE_A, HTTP_PORT, folder)) {
            LoadClients load = new LoadClients(plan(bind, Duration.ofSeconds(30), 40), catalogue).start();
            assertThat(load.await(Duration.ofSeconds(20))).isTrue();
            assertThat(load.report().total()).isEqualTo(40);
            assertThat(load.report().outcomes(null)).containsExactly("ok");

            LoadPlan nowhere = new LoadPlan(
                    "nothing.load.test",
                    bind.address(),
                    HTTP_PORT,
                    2,
                    1,
                    0,
                    0,
                    Duration.ofMillis(500),
                    0,
                    Duration.ofSeconds(1),
                    1);
            LoadClients empty = new LoadClients(nowhere, catalogue).start();
            assertThat(empty.await(Duration.ofSeconds(5))).isTrue();
            assertThat(empty.report().addresses(null)).containsExactly("(no address)");
            assertThat(empty.report().total()).isBetween(1L, 200L);
        }
    }

    @Test
    void rejectsPlansWithoutBounds() {
        InetSocketAddress dns = new InetSocketAddress("127.0.0.1", DNS_PORT);
        assertThatThrownBy(() -> LoadPlan.of(HOST, dns, HTTP_PORT, 0, 0.3, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadPlan.of(HOST, dns, HTTP_PORT, 4, 1.5, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadPlan.of(HOST, dns, HTTP_PORT, 4, 0.3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LoadPlan plan(Bind bind, Duration duration, long max) {
        return LoadPlan.of(HOST, bind.address(), HTTP_PORT, 4, 0.3, duration).withMaxRequests(max);
    }

    private static String bindMissing() {
        String why = Bind.unavailable().orElse(null);
        if (why != null) {
            System.out.println("LoadClientsTest skipped: " + why);
        }
        return why;
    }

    /** Takes one address out of the record as the witness would: an RFC 2136 update signed with BIND's key. */
    private static void remove(Bind bind, String address) throws IOException {
        Update update = new Update(Name.fromString(bind.zone() + "."));
        update.delete(Name.fromString(HOST + "."), Type.A, address);
        SimpleResolver resolver = new SimpleResolver(bind.address());
        resolver.setTSIGKey(new TSIG(TSIG.algorithmToName(bind.algorithm()), bind.keyName(), bind.secret()));
        Message response = resolver.send(update);
        assertThat(Rcode.string(response.getRcode())).isEqualTo("NOERROR");
    }
}
