package pomf.dns.control;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLStreamException;

/**
 * Calls to Namecheap's XML API, answers checked: the API reports its errors with HTTP 200 and
 * {@code Status="ERROR"}, so the status line alone says little.
 */
final class NamecheapApi {
    static final String GET_HOSTS = "namecheap.domains.dns.getHosts";
    static final String SET_HOSTS = "namecheap.domains.dns.setHosts";

    private final URI endpoint;
    private final String apiUser;
    private final String apiKey;
    private final String userName;
    private final String clientIp;
    private final DnsHttp http;

    NamecheapApi(URI endpoint, String apiUser, String apiKey, String userName, String clientIp, Duration timeout) {
        this.endpoint = required(endpoint, "endpoint");
        this.apiUser = required(apiUser, "ApiUser");
        this.apiKey = required(apiKey, "ApiKey");
        this.userName = required(userName, "UserName");
        this.clientIp = required(clientIp, "ClientIp");
        this.http = new DnsHttp("Namecheap", timeout, apiKey);
    }

    private static <T> T required(T value, String name) {
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException("Namecheap: " + name + " is required");
        }
        return value;
    }

    /** getHosts is a GET as documented; the key in its query string is why every message here is redacted. */
    NamecheapReply get(String command, Map<String, String> arguments) throws DnsException {
        String query = DnsHttp.form(parameters(command, arguments));
        return call(
                command,
                HttpRequest.newBuilder(URI.create(endpoint + "?" + query)).GET());
    }

    /** A form POST, as the documentation asks for more than ten hosts (a GET URL that long may be cut). */
    NamecheapReply post(String command, Map<String, String> arguments) throws DnsException {
        String form = DnsHttp.form(parameters(command, arguments));
        return call(
                command,
                HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    DnsHttp http() {
        return http;
    }

    private Map<String, String> parameters(String command, Map<String, String> arguments) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ApiUser", apiUser);
        parameters.put("ApiKey", apiKey);
        parameters.put("UserName", userName);
        parameters.put("ClientIp", clientIp);
        parameters.put("Command", command);
        parameters.putAll(arguments);
        return parameters;
    }

    private NamecheapReply call(String command, HttpRequest.Builder request) throws DnsException {
        HttpResponse<String> response = http.send(request.header("Accept", "application/xml"));
        int status = response.statusCode();
        if (status != 200) {
            boolean passing = status == 429 || status == 408 || status >= 500;
            throw http.failure(
                    "Namecheap answered " + command + " with HTTP " + status + ": " + http.snippet(response.body()),
                    passing);
        }
        NamecheapReply reply;
        try {
            reply = NamecheapReply.parse(response.body());
        } catch (XMLStreamException e) {
            // Not the API's XML: a proxy's or a maintenance page. It says nothing about our request.
            throw http.failure(
                    "Namecheap answered " + command + " with something other than its XML: "
                            + http.snippet(response.body()),
                    true,
                    e);
        }
        if (reply.status().equals("OK")) {
            return reply;
        }
        if (reply.status().equals("ERROR")) {
            throw NamecheapErrors.of(reply.all("Error"), command, clientIp, http);
        }
        throw http.failure(
                "Namecheap answered " + command + " without an ApiResponse status: " + http.snippet(response.body()),
                true);
    }
}
