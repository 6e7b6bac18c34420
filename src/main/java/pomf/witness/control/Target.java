package pomf.witness.control;

import java.net.URI;

/**
 * What the probes need to know of one node.
 *
 * @param node the node's name
 * @param address the IPv4 address published in DNS (pinged)
 * @param checkUrl the HTTPS URL checked, normally the node's {@code /health/ready}
 * @param sshPort the port whose SSH banner is read
 */
public record Target(String node, String address, URI checkUrl, int sshPort) {}
