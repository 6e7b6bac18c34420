package pomf.witness.control;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;
import pomf.problem.entity.ProblemException;

/** A node as an admin or the configuration describes it, checked before anything is stored. */
public record NodeForm(String name, String address, String checkUrl, int sshPort, String record) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST = Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

    public NodeForm {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("name: lower-case letters, digits and dashes, up to 63");
        }
        if (address == null || !IPV4.matcher(address).matches()) {
            throw ProblemException.badRequest("address: a literal IPv4 address such as 203.0.113.7");
        }
        if (checkUrl == null || !validUrl(checkUrl)) {
            throw ProblemException.badRequest(
                    "checkUrl: an absolute https:// URL such as https://203.0.113.7/health/ready");
        }
        if (sshPort < 1 || sshPort > 65535) {
            throw ProblemException.badRequest("sshPort: 1 to 65535");
        }
        record = record == null ? null : record.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (record == null || !HOST.matcher(record).matches()) {
            throw ProblemException.badRequest("record: a fully qualified host name such as cdn.example.com");
        }
    }

    public static NodeForm of(String name, JsonObject json) {
        if (json == null) {
            throw ProblemException.badRequest("a JSON object with address, checkUrl, sshPort and record is needed");
        }
        String address = text(json, "address", null);
        return new NodeForm(
                name != null ? name : text(json, "name", null),
                address,
                text(json, "checkUrl", address == null ? null : "https://" + address + "/health/ready"),
                json.get("sshPort") instanceof JsonNumber n ? n.intValue() : json.containsKey("sshPort") ? -1 : 22,
                text(json, "record", null));
    }

    private static String text(JsonObject json, String key, String fallback) {
        return json.get(key) instanceof JsonString s ? s.getString() : json.containsKey(key) ? null : fallback;
    }

    private static boolean validUrl(String url) {
        try {
            URI uri = URI.create(url);
            // HTTPS only: the check verifies the node's certificate, and a URL the probe cannot check would make
            // every tick a local error, which is a witness fault for the whole fleet.
            return "https".equals(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
