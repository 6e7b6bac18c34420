package pomf.storage.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * The service's settings for a command run outside the container (the move command), found where MicroProfile
 * Config finds them, in its order: system properties ({@code -Dkey=value}), then a properties file given to the
 * command (the service's {@code --systemproperties} file: its values are system properties to Payara too, and an
 * explicit {@code -D} wins), then the environment ({@code pomf.db.password} as {@code pomf.db.password},
 * {@code pomf_db_password} or {@code POMF_DB_PASSWORD}), then the WAR's {@code META-INF/microprofile-config.properties}.
 * Which keys mean what stays with the classes that read them ({@link S3Settings#read}, {@link BlobStores#folder}).
 */
public final class CommandConfig implements Function<String, Optional<String>> {
    private final Properties system;
    private final Properties file;
    private final Function<String, String> environment;
    private final Properties defaults = new Properties();

    /** Over {@code system} properties, {@code file} (may be empty) and {@code environment}. */
    public CommandConfig(Properties system, Properties file, Function<String, String> environment) {
        this.system = system;
        this.file = file;
        this.environment = environment;
        try (InputStream in = CommandConfig.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            if (in != null) {
                defaults.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the WAR's microprofile-config.properties cannot be read", e);
        }
    }

    /** A properties file as Payara's {@code --systemproperties} reads it. */
    public static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    @Override
    public Optional<String> apply(String key) {
        String value = system.getProperty(key);
        if (value == null) {
            value = file.getProperty(key);
        }
        if (value == null) {
            value = fromEnvironment(key);
        }
        if (value == null) {
            value = defaults.getProperty(key);
        }
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private String fromEnvironment(String key) {
        String value = environment.apply(key);
        if (value == null) {
            String sanitized = key.replaceAll("[^A-Za-z0-9]", "_");
            value = environment.apply(sanitized);
            if (value == null) {
                value = environment.apply(sanitized.toUpperCase(Locale.ROOT));
            }
        }
        return value;
    }
}
