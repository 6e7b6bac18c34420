package pomf.http.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** {@code Authorization: Bearer <token>} (RFC 6750): the one place a bearer token is read and compared. */
public final class Bearer {
    private static final String SCHEME = "Bearer ";

    private Bearer() {}

    /** The header's value for {@code token}. */
    public static String of(String token) {
        return SCHEME + token;
    }

    /** The token an {@code Authorization} header carries (the scheme's name in any case), or null. */
    public static String token(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }

    /** Whether the header carries {@code secret}, compared in constant time; never when no secret is set. */
    public static boolean carries(String authorization, String secret) {
        String token = token(authorization);
        return token != null && secret != null && !secret.isEmpty() && same(token, secret);
    }

    /** Two secrets compared in time that does not depend on where they differ. */
    public static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
