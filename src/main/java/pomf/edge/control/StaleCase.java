package pomf.edge.control;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The cases of nginx's {@code proxy_cache_use_stale} this edge tells apart ({@code pomf.edge.use-stale}): when the
 * origin fails in one of them, an old copy is answered instead of an error.
 */
public enum StaleCase {
    ERROR,
    TIMEOUT,
    UPDATING,
    HTTP_500,
    HTTP_502,
    HTTP_503,
    HTTP_504;

    /** As nginx spells it: {@code error}, {@code http_503}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The case of an origin answer with this status, or null for a 5xx nginx has no case for: never stale. */
    static StaleCase ofStatus(int status) {
        return switch (status) {
            case 500 -> HTTP_500;
            case 502 -> HTTP_502;
            case 503 -> HTTP_503;
            case 504 -> HTTP_504;
            default -> status >= 500 ? null : ERROR;
        };
    }

    /** The cases a setting names, separated by commas or spaces; {@code off} names none. */
    static Set<StaleCase> parse(String value) {
        Set<StaleCase> cases = EnumSet.noneOf(StaleCase.class);
        for (String word : value.trim().split("[,\\s]+")) {
            if (word.isEmpty() || word.equalsIgnoreCase("off")) {
                continue;
            }
            try {
                cases.add(valueOf(word.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pomf.edge.use-stale: " + word + " is none of off, error, timeout,"
                        + " updating, http_500, http_502, http_503, http_504");
            }
        }
        return cases;
    }
}
