package pomf.access.control;

import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What a logged-in administrator's session holds: the account as it was at the login (name, id, credentials
 * version: a session ends when its account goes or its password changes), when the login happened (a session older
 * than the maximum age ends however active it is) and the token a script must echo in {@code X-CSRF-Token} to change
 * anything through the JSON API with this session.
 */
public final class AdminSession {
    /** Request attribute: how the caller authenticated ({@link #VIA_TOKEN} or {@link #VIA_SESSION}). */
    public static final String VIA = "pomf.access.via";

    public static final String VIA_TOKEN = "token";
    public static final String VIA_SESSION = "session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final String CALLER = "pomf.admin.caller";
    private static final String ACCOUNT = "pomf.admin.account";
    private static final String VERSION = "pomf.admin.credentials-version";
    private static final String SINCE = "pomf.admin.since";
    private static final String CSRF = "pomf.admin.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminSession() {}

    /**
     * The account a session was opened for, as it was then: its name, its row's id (a removed account made again
     * under the same name is another) and its credentials version (one more at each password change).
     */
    public record Login(String username, long accountId, int version) {}

    public static void start(HttpSession session, Login credentials, int idleSeconds) {
        byte[] token = new byte[24];
        RANDOM.nextBytes(token);
        session.setAttribute(CALLER, credentials.username());
        session.setAttribute(ACCOUNT, credentials.accountId());
        session.setAttribute(VERSION, credentials.version());
        session.setAttribute(SINCE, System.currentTimeMillis());
        session.setAttribute(CSRF, HexFormat.of().formatHex(token));
        session.setMaxInactiveInterval(idleSeconds);
    }

    /** This session goes on with the credentials its own administrator just set (a password change). */
    public static void renew(HttpSession session, Login credentials) {
        if (session == null) {
            return;
        }
        try {
            if (credentials.username().equals(session.getAttribute(CALLER))) {
                session.setAttribute(ACCOUNT, credentials.accountId());
                session.setAttribute(VERSION, credentials.version());
            }
        } catch (IllegalStateException invalidated) {
            // nothing to renew
        }
    }

    /**
     * The credentials this session was opened with, unless there is none or the session is older than
     * {@code maxAge}; whether they still hold is the account's to say.
     */
    public static Optional<Login> caller(HttpSession session, Duration maxAge) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Object caller = session.getAttribute(CALLER);
            Object since = session.getAttribute(SINCE);
            Object account = session.getAttribute(ACCOUNT);
            Object version = session.getAttribute(VERSION);
            if (!(caller instanceof String name)
                    || !(since instanceof Long at)
                    || !(account instanceof Long id)
                    || !(version instanceof Integer number)) {
                return Optional.empty();
            }
            if (System.currentTimeMillis() - at > maxAge.toMillis()) {
                session.invalidate();
                return Optional.empty();
            }
            return Optional.of(new Login(name, id, number));
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
