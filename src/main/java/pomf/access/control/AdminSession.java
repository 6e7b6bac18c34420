package pomf.access.control;

import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What a logged-in administrator's session holds: the name, when the login happened (a session older than the
 * maximum age ends however active it is) and the token a script must echo in {@code X-CSRF-Token} to change
 * anything through the JSON API with this session.
 */
public final class AdminSession {
    /** Request attribute: how the caller authenticated ({@link #VIA_TOKEN} or {@link #VIA_SESSION}). */
    public static final String VIA = "pomf.access.via";

    public static final String VIA_TOKEN = "token";
    public static final String VIA_SESSION = "session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final String CALLER = "pomf.admin.caller";
    private static final String SINCE = "pomf.admin.since";
    private static final String CSRF = "pomf.admin.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminSession() {}

    public static void start(HttpSession session, String caller, int idleSeconds) {
        byte[] token = new byte[24];
        RANDOM.nextBytes(token);
        session.setAttribute(CALLER, caller);
        session.setAttribute(SINCE, System.currentTimeMillis());
        session.setAttribute(CSRF, HexFormat.of().formatHex(token));
        session.setMaxInactiveInterval(idleSeconds);
    }

    /** The administrator of this session, unless there is none or the session is older than {@code maxAge}. */
    public static Optional<String> caller(HttpSession session, Duration maxAge) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Object caller = session.getAttribute(CALLER);
            Object since = session.getAttribute(SINCE);
            if (!(caller instanceof String name) || !(since instanceof Long at)) {
                return Optional.empty();
            }
            if (System.currentTimeMillis() - at > maxAge.toMillis()) {
                session.invalidate();
                return Optional.empty();
            }
            return Optional.of(name);
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }

    public static Optional<String> csrfToken(HttpSession session) {
        try {
            return session == null ? Optional.empty() : Optional.ofNullable((String) session.getAttribute(CSRF));
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }
}
