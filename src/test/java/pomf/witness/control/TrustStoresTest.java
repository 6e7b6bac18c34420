package pomf.witness.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.servers.HttpsEndpoint;

class TrustStoresTest {
    private static final String ADDRESS = "127.0.0.34";
    private static final int PORT = 18545;

    @TempDir
    Path folder;

    @Test
    void withoutATrustStoreTheJdkDefaultsAreTrusted() throws Exception {
        assertThat(TrustStores.sslContext(Optional.empty(), Optional.empty())).isSameAs(SSLContext.getDefault());
    }

    @Test
    void jksTrustStoreIsReadAsWellAsPkcs12() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, ADDRESS, PORT)) {
            Path jks = copy(node, "JKS", folder.resolve("trust.jks"));
            SSLContext trust = TrustStores.sslContext(Optional.of(jks), Optional.of(node.trustStorePassword()));

            assertThat(check(node, trust).outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void wrongPasswordStopsTheWitnessFromStarting() throws Exception {
        try (HttpsEndpoint node = HttpsEndpoint.start(folder, ADDRESS, PORT)) {
            assertThatThrownBy(() -> TrustStores.sslContext(Optional.of(node.trustStore()), Optional.of("wrong")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(node.trustStore().toString());
        }
    }

    @Test
    void emptyTrustStoreStopsTheWitnessFromStartingRatherThanStrikingEveryNode() throws Exception {
        Path empty = folder.resolve("empty.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(empty)) {
            store.store(out, "secret".toCharArray());
        }

        assertThatThrownBy(() -> TrustStores.sslContext(Optional.of(empty), Optional.of("secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no certificate");
    }

    @Test
    void missingTrustStoreStopsTheWitnessFromStarting() {
        assertThatThrownBy(() -> TrustStores.sslContext(Optional.of(folder.resolve("absent.p12")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absent.p12");
    }

    private static Path copy(HttpsEndpoint node, String type, Path target) throws Exception {
        char[] password = node.trustStorePassword().toCharArray();
        KeyStore source = KeyStore.getInstance(node.trustStore().toFile(), password);
        KeyStore copy = KeyStore.getInstance(type);
        copy.load(null, null);
        copy.setCertificateEntry("node", source.getCertificate(source.aliases().nextElement()));
        try (OutputStream out = Files.newOutputStream(target)) {
            copy.store(out, password);
        }
        return target;
    }

    private static CheckResult check(HttpsEndpoint node, SSLContext trust) throws Exception {
        try (HttpsProbe probe = new HttpsProbe(
                ProbeSettings.defaults(Executors.defaultThreadFactory()).withSslContext(trust))) {
            return probe.check(new Target("node", ADDRESS, node.url(), 22)).get(10, TimeUnit.SECONDS);
        }
    }
}
