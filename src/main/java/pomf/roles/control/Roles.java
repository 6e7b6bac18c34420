package pomf.roles.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The roles of this instance. An edge-only instance needs no database: it never migrates the schema, runs no
 * storage janitor, and answers only {@code /f/*} (uploads go to the origin).
 */
@ApplicationScoped
public class Roles {
    public static final Set<String> KNOWN = Set.of("origin", "edge", "witness", "admin");

    static final String KEY = "pomf.roles";

    /** The roles of an instance that names none. */
    public static final String DEFAULT = "origin,admin";

    @Inject
    @ConfigProperty(name = KEY, defaultValue = DEFAULT)
    String roles;

    private Set<String> set;

    @PostConstruct
    void read() {
        set = parse(roles);
    }

    /**
     * The roles configured, read from MicroProfile Config directly: for a CDI extension, which runs before any bean
     * can be injected.
     */
    public static Set<String> configured() {
        return parse(
                ConfigProvider.getConfig().getOptionalValue(KEY, String.class).orElse(DEFAULT));
    }

    /** The roles a {@code pomf.roles} value names; refuses unknown ones and an empty list. */
    public static Set<String> parse(String roles) {
        Set<String> set = Arrays.stream(roles.split("[,\\s]+"))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        Set<String> unknown = set.stream().filter(r -> !KNOWN.contains(r)).collect(Collectors.toSet());
        if (!unknown.isEmpty() || set.isEmpty()) {
            throw new IllegalStateException("pomf.roles must name some of " + KNOWN + ", not " + roles);
        }
        return set;
    }

    public boolean origin() {
        return set.contains("origin");
    }

    public boolean edge() {
        return set.contains("edge");
    }

    public boolean witness() {
        return set.contains("witness");
    }

    public boolean admin() {
        return set.contains("admin");
    }

    /** The database is needed by every role but the edge. */
    public boolean usesDatabase() {
        return set.stream().anyMatch(r -> !r.equals("edge"));
    }
}
