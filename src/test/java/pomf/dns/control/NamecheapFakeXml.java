package pomf.dns.control;

import java.util.List;

/**
 * The XML of {@link NamecheapFake}'s answers, in the shapes the live API sends: the {@code ApiResponse} frame with
 * its namespace, {@code <host>} in lower case (the documentation shows {@code Host}), and {@code HostId} and
 * {@code HostID} both in one list, as client libraries report seeing.
 */
final class NamecheapFakeXml {
    private static final String NAMESPACE = "http://api.namecheap.com/xml.response";

    private NamecheapFakeXml() {}

    static String ok(String command, String result) {
        return frame(
                "OK",
                "<Errors />",
                command,
                "<CommandResponse Type=\"" + escape(command) + "\">" + result + "</CommandResponse>");
    }

    /** Errors come with HTTP 200: only the Status attribute and the numbers tell. */
    static String error(String command, String number, String text) {
        return frame(
                "ERROR",
                "<Errors><Error Number=\"" + escape(number) + "\">" + escape(text) + "</Error></Errors>",
                command,
                "");
    }

    static String hosts(String domain, String emailType, List<NamecheapFake.Host> hosts) {
        StringBuilder xml = new StringBuilder("<DomainDNSGetHostsResult Domain=\"" + escape(domain) + "\" EmailType=\""
                + escape(emailType) + "\" IsUsingOurDNS=\"true\">");
        for (int i = 0; i < hosts.size(); i++) {
            NamecheapFake.Host host = hosts.get(i);
            xml.append("<host ")
                    .append(i % 2 == 0 ? "HostId" : "HostID")
                    .append("=\"")
                    .append(escape(host.hostId()))
                    .append("\" Name=\"")
                    .append(escape(host.name()))
                    .append("\" Type=\"")
                    .append(escape(host.type()))
                    .append("\" Address=\"")
                    .append(escape(host.address()))
                    .append("\" MXPref=\"")
                    .append(escape(host.mxPref()))
                    .append("\" TTL=\"")
                    .append(host.ttl())
                    .append(
                            "\" AssociatedAppTitle=\"\" FriendlyName=\"\" IsActive=\"true\" IsDDNSEnabled=\"false\" />");
        }
        return xml.append("</DomainDNSGetHostsResult>").toString();
    }

    static String setHostsResult(String domain, boolean success) {
        return "<DomainDNSSetHostsResult Domain=\"" + escape(domain) + "\" IsSuccess=\"" + success + "\">"
                + "<Warnings /></DomainDNSSetHostsResult>";
    }

    private static String frame(String status, String errors, String command, String response) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
                + "<ApiResponse Status=\"" + status + "\" xmlns=\"" + NAMESPACE + "\">\r\n"
                + "  " + errors + "\r\n"
                + "  <Warnings />\r\n"
                + "  <RequestedCommand>" + escape(command.toLowerCase(java.util.Locale.ROOT))
                + "</RequestedCommand>\r\n"
                + "  " + response + "\r\n"
                + "  <Server>PHX01SBAPIEXT01</Server>\r\n"
                + "  <GMTTimeDifference>--5:00</GMTTimeDifference>\r\n"
                + "  <ExecutionTime>0.017</ExecutionTime>\r\n"
                + "</ApiResponse>";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
