package pomf.dns.control;

import java.util.Map;
import java.util.Set;

/**
 * The global checks every Namecheap call goes through first, with the documented numbers (API "Global Error
 * Codes"): missing parameters, a ClientIp that is not whitelisted (1011150), a wrong ApiUser or ApiKey (1011102), a
 * UserName the ApiUser may not act for (1016103).
 */
final class NamecheapFakeAuth {
    private NamecheapFakeAuth() {}

    /** Null when the call may go on, else {@code "NUMBER text"}. */
    static String check(Map<String, String> p, String apiUser, String apiKey, String userName, Set<String> whitelist) {
        if (blank(p.get("ApiUser"))) {
            return "1010101 Parameter APIUser is missing";
        }
        if (blank(p.get("ApiKey"))) {
            return "1010102 Parameter APIKey is missing";
        }
        if (blank(p.get("Command"))) {
            return "1010104 Parameter Command is missing";
        }
        if (blank(p.get("ClientIp"))) {
            return "1010105 Parameter ClientIP is missing";
        }
        if (!whitelist.contains(p.get("ClientIp"))) {
            return "1011150 Invalid request IP: " + p.get("ClientIp");
        }
        if (!apiUser.equals(p.get("ApiUser")) || !apiKey.equals(p.get("ApiKey"))) {
            return "1011102 API Key is invalid or API access has not been enabled";
        }
        if (!userName.equalsIgnoreCase(p.getOrDefault("UserName", ""))) {
            return "1016103 Parameter UserName is unauthorized";
        }
        return null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
