package pomf.it.servers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;

/** One PKCS12 trust store holding the certificates of several nodes, as an operator's private CA bundle would. */
public final class TrustBundle {
    private TrustBundle() {}

    /** A store the node's own trust store and password can be read from. */
    public record Source(Path store, String password) {}

    /** Writes every certificate of every source into {@code target}, protected by {@code password}. */
    public static Path write(Path target, String password, List<Source> sources) {
        try {
            KeyStore all = KeyStore.getInstance("PKCS12");
            all.load(null, null);
            for (int i = 0; i < sources.size(); i++) {
                Source source = sources.get(i);
                KeyStore one = KeyStore.getInstance(
                        source.store().toFile(), source.password().toCharArray());
                for (String alias : Collections.list(one.aliases())) {
                    all.setCertificateEntry("node-" + i + "-" + alias, one.getCertificate(alias));
                }
            }
            try (OutputStream out = Files.newOutputStream(target)) {
                all.store(out, password.toCharArray());
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
