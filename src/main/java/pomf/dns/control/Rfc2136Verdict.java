package pomf.dns.control;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/**
 * What the primary's answer to one of our signed messages means: done, worth another try later (the server is
 * down, slow or failing), or something only the operator can fix, in which case the message names what to check.
 * The secret is never part of a message: these end up in logs and on the admin pages.
 */
final class Rfc2136Verdict {
    private final String server;
    private final String zone;
    private final String key;
    private final String algorithm;
    private final Duration timeout;

    Rfc2136Verdict(InetSocketAddress server, Name zone, Name key, Name algorithm, Duration timeout) {
        this.server = server.getAddress().getHostAddress() + ":" + server.getPort();
        // Without the final dot: as the operator wrote them in the configuration.
        this.zone = zone.toString(true);
        this.key = key.toString(true);
        this.algorithm = algorithm.toString(true);
        this.timeout = timeout;
    }

    /** No answer at all: a timeout, a refused connection, a broken stream. The next attempt may well succeed. */
    DnsException unreachable(String action, IOException cause) {
        return new DnsException(
                action + ": no answer from " + server + " within " + timeout.toMillis() + " ms (" + cause.getMessage()
                        + ")",
                true,
                cause);
    }

    /** Returns when the answer is a success signed with our key (NXDOMAIN counts as success for a query). */
    void check(Message response, String action) throws DnsException {
        TSIGRecord signature = response.getTSIG();
        if (signature != null && signature.getError() != Rcode.NOERROR) {
            throw keyRejected(action, signature.getError());
        }
        int rcode = response.getRcode();
        boolean query = response.getHeader().getOpcode() == Opcode.QUERY;
        if (rcode == Rcode.NOERROR || (query && rcode == Rcode.NXDOMAIN)) {
            if (!response.isVerified()) {
                // Anything could have answered (a middlebox, a server without the key): its word confirms nothing.
                throw operator(
                        action,
                        "the answer is not signed with key " + key + "; check that " + server + " is the primary of "
                                + zone + " and has that key");
            }
            return;
        }
        throw switch (rcode) {
            case Rcode.SERVFAIL ->
                new DnsException(
                        action + ": " + server + " answered SERVFAIL (a failure on its side, worth another try)", true);
            case Rcode.NOTAUTH ->
                operator(
                        action,
                        "NOTAUTH: " + server + " is not authoritative for zone " + zone
                                + "; check the zone name and that the server is the zone's primary");
            case Rcode.REFUSED ->
                operator(
                        action,
                        query
                                ? "REFUSED: check that " + server + " serves zone " + zone
                                        + " and that its allow-query admits this host"
                                : "REFUSED: check that the zone's update-policy (or allow-update) grants key " + key
                                        + " the A records of this name");
            case Rcode.NOTZONE ->
                operator(
                        action,
                        "NOTZONE: the name is not inside zone " + zone + " as the server sees it; check the zone name");
            case Rcode.NOTIMP -> operator(action, "NOTIMP: " + server + " does not accept RFC 2136 updates");
            default -> operator(action, Rcode.string(rcode) + " from " + server);
        };
    }

    private DnsException keyRejected(String action, int tsigError) {
        String advice =
                switch (tsigError) {
                    case Rcode.BADSIG -> "the secret of key " + key + " differs from the server's; check the secret";
                    case Rcode.BADKEY ->
                        "the server has no key " + key + " with algorithm " + algorithm
                                + "; check the key name and algorithm";
                    case Rcode.BADTIME ->
                        "the clocks of this host and " + server + " differ by more than 5 minutes; check NTP";
                    default -> "check the key name, algorithm and secret of key " + key;
                };
        return operator(
                action, server + " rejected the TSIG signature (" + Rcode.TSIGstring(tsigError) + "): " + advice);
    }

    private DnsException operator(String action, String detail) {
        return new DnsException(action + " in zone " + zone + ": " + detail, false);
    }
}
