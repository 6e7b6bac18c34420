package pomf.dns.control;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the numbers of a {@code Status="ERROR"} answer mean for the witness: whether trying again can help, and what
 * the operator has to do when it cannot.
 *
 * <p>Namecheap's numbers carry their kind in the first digit: 1 is authentication, 2 the request or the domain, 3
 * the upstream registry, 4 and 5 Namecheap's own failures. The first two need a person; the others may pass.
 */
final class NamecheapErrors {
    /** The calling IP is not whitelisted for the API (or ClientIp is not the IP the call comes from). */
    private static final Set<String> REFUSED_IP = Set.of("1011150", "1017150", "1017105");
    /** Wrong, missing or locked ApiUser, ApiKey or UserName, or API access not enabled for the account. */
    private static final Set<String> CREDENTIALS = Set.of(
            "1010101", "1010102", "1011102", "1011104", "1050900", "1017101", "1019103", "1016103", "1017103",
            "1017411");

    private NamecheapErrors() {}

    static DnsException of(List<NamecheapReply.Element> errors, String command, String clientIp, DnsHttp http) {
        String listed = errors.isEmpty()
                ? "no error given"
                : errors.stream()
                        .map(e -> e.attribute("Number") + " " + e.text())
                        .collect(Collectors.joining("; "));
        String what = "Namecheap refused " + command + " (" + listed + ")";
        if (errors.stream().anyMatch(e -> REFUSED_IP.contains(e.attribute("Number")))) {
            return http.failure(
                    what + ": whitelist the ClientIp " + clientIp + " in the Namecheap account (Profile > Tools >"
                            + " Namecheap API Access > Whitelisted IPs), and make sure it is the public IPv4"
                            + " address the witness's calls come from",
                    false);
        }
        if (errors.stream().anyMatch(e -> CREDENTIALS.contains(e.attribute("Number")))) {
            return http.failure(
                    what + ": check ApiUser, ApiKey and UserName, and that API access is enabled for the account",
                    false);
        }
        boolean retryable = errors.isEmpty() || errors.stream().allMatch(NamecheapErrors::passing);
        return http.failure(what + (retryable ? "" : ": it will not pass by itself"), retryable);
    }

    /** A rate limit, an upstream failure or one of Namecheap's own: worth another try later. */
    private static boolean passing(NamecheapReply.Element error) {
        String number = error.attribute("Number");
        return error.text().toLowerCase(Locale.ROOT).contains("too many requests")
                || number.startsWith("3")
                || number.startsWith("4")
                || number.startsWith("5");
    }
}
