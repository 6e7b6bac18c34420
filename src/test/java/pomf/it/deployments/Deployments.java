package pomf.it.deployments;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.Asset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import pomf.it.clients.PomfClient;

/**
 * The one way integration tests get a deployment: the WAR that {@code package} built (the real artifact), with
 * the test's configuration merged into its {@code microprofile-config.properties} and a storage folder of its own.
 */
public final class Deployments {
    private static final String CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private Deployments() {}

    public static WebArchive origin(Path storage) {
        return origin(storage, Map.of());
    }

    public static WebArchive origin(Path storage, Map<String, String> overrides) {
        File war = new File(System.getProperty("pomf.war", "target/pomf.war"));
        // The name is the context root: ROOT.war deploys at "/", as in production.
        WebArchive archive =
                ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("pomf.storage.dir", storage.toString());
        config.put("pomf.public-url", "http://127.0.0.1:" + PomfClient.PORT);
        config.putAll(overrides);
        archive.delete(CONFIG);
        archive.add(merged(config), CONFIG);
        return archive;
    }

    /** An edge-only instance in front of {@code originUrl}, with a cache folder of its own. */
    public static WebArchive edge(String originUrl, Path cacheDir, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("pomf.roles", "edge");
        config.put("pomf.edge.origin-url", originUrl);
        config.put("pomf.edge.cache-dir", cacheDir.toString());
        config.putAll(overrides);
        return origin(newStorage(), config);
    }

    /** A new, empty storage folder for one deployment, removed when the test JVM ends. */
    public static Path newStorage() {
        try {
            Path folder = Files.createTempDirectory("pomf-it-storage");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(folder)));
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }

    private static Asset merged(Map<String, String> overrides) {
        Properties properties = new Properties();
        try (var in = Deployments.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        overrides.forEach((k, v) ->
                text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return new StringAsset(new String(text.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }
}
