package pomf.it.servers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Self-signed certificates for IP addresses, as an operator makes them for edge nodes reached by IP: the JDK's keytool
 * writes the key pair (its SAN lists the IP, so hostname verification can stay on), and a trust store holds only the
 * certificate.
 */
public final class IpCertificates {
    /** One password for every store the tests make; the stores live in a test's temporary folder. */
    public static final String PASSWORD = "pomf-test";

    private static final String ALIAS = "node";
    private static final Duration KEYTOOL = Duration.ofSeconds(30);

    private IpCertificates() {}

    /** A new PKCS12 key store with an EC key pair and its certificate for {@code address} (valid a week). */
    public static Path keyPair(Path keyStore, String address) {
        try {
            Files.deleteIfExists(keyStore);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + address,
                "-ext",
                "SAN=ip:" + address,
                "-validity",
                "7",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD);
        Command.run(KEYTOOL, command.toArray(String[]::new));
        return keyStore;
    }

    /** A PKCS12 trust store holding only the certificate of {@code keyStore}. */
    public static Path trustStore(Path keyStore, Path trustStore) {
        try {
            KeyStore keys = KeyStore.getInstance(keyStore.toFile(), PASSWORD.toCharArray());
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, keys.getCertificate(ALIAS));
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, PASSWORD.toCharArray());
            }
            return trustStore;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the trust store " + trustStore, e);
        }
    }

    /** A server's TLS context presenting the key pair of {@code keyStore}. */
    public static SSLContext serverContext(Path keyStore) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(KeyStore.getInstance(keyStore.toFile(), PASSWORD.toCharArray()), PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the key store " + keyStore, e);
        }
    }
}
