package pomf.witness.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTPS check's trust. The edges usually carry certificates the operator issued (self-signed, the IP in the SAN),
 * so the witness trusts exactly the operator's trust store and nothing else; without one it trusts what the JDK does.
 */
public final class TrustStores {
    private TrustStores() {}

    /**
     * @param trustStore a PKCS12 or JKS file (the type is detected), or empty for the JDK's default trust
     * @param password the store's password; PKCS12 stores written by the JDK encrypt their certificates with it
     * @throws IllegalArgumentException when the store cannot be read or holds no certificate: a witness that trusts
     *     nothing would strike every node, so it must not start
     */
    public static SSLContext sslContext(Optional<Path> trustStore, Optional<String> password) {
        if (trustStore.isEmpty()) {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
        }
        Path path = trustStore.get();
        try {
            KeyStore store = load(path, password);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use trust store " + path + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path path, Optional<String> password) throws IOException, GeneralSecurityException {
        if (!Files.isReadable(path)) {
            throw new IOException("not a readable file");
        }
        char[] secret = password.map(String::toCharArray).orElse(null);
        KeyStore store = KeyStore.getInstance(path.toFile(), secret);
        for (String alias : Collections.list(store.aliases())) {
            if (store.isCertificateEntry(alias) || store.isKeyEntry(alias)) {
                return store;
            }
        }
        throw new IOException("holds no certificate");
    }
}
