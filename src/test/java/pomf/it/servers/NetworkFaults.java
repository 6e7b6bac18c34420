package pomf.it.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Real network failures for the witness's probes, made with routes in the benchmark range 198.18.0.0/15 (RFC 2544,
 * never on the internet): a black hole (packets leave on a link whose far end, in a private network namespace, drops
 * them: no reply, no error, only timeouts), a host with no route (EHOSTUNREACH, "No route to host") and a network the
 * witness cannot reach (ENETUNREACH, "Network is unreachable", the witness's own fault). Needs root and iproute2; one at
 * a time per machine. Nothing listens anywhere.
 */
public final class NetworkFaults implements AutoCloseable {
    private static final Path IP = Path.of("/usr/sbin/ip");
    private static final Duration COMMAND = Duration.ofSeconds(10);
    private static final String NAMESPACE = "pomf-faults";
    private static final String LINK = "pomffault0";
    private static final String PEER = "pomffault1";
    /** The link's /30: ours .1, a gateway that exists only as a permanent neighbour entry .2. */
    private static final String LINK_ADDRESS = "198.18.53.1/30";

    private static final String GATEWAY = "198.18.53.2";
    private static final String BLACK_HOLE = "198.18.54.0/24";
    private static final String NO_ROUTE = "198.18.55.0/24";
    private static final String NO_NETWORK = "198.18.56.0/24";

    private NetworkFaults() {}

    /** Why {@link #create()} cannot work here, if it cannot: for a test's assumption. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(IP)) {
            return Optional.of("no " + IP + " (apt-get install iproute2)");
        }
        if (!Command.isRoot()) {
            return Optional.of("changing routes needs root; this test runs as " + System.getProperty("user.name"));
        }
        return Optional.empty();
    }

    /** Skips the calling test, with the reason printed, where {@link #create()} cannot work. */
    public static void assumeAvailable() {
        Optional<String> reason = unavailable();
        reason.ifPresent(why -> System.out.println("Skipped, no network faults: " + why));
        Assumptions.assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
    }

    public static NetworkFaults create() {
        NetworkFaults faults = new NetworkFaults();
        faults.close(); // what a killed test run may have left
        try {
            ip("netns", "add", NAMESPACE);
            ip("link", "add", LINK, "type", "veth", "peer", "name", PEER, "netns", NAMESPACE);
            ip("addr", "add", LINK_ADDRESS, "dev", LINK);
            ip("link", "set", LINK, "up");
            ip("-n", NAMESPACE, "link", "set", PEER, "up");
            // Frames go to a MAC nobody has; the peer drops them silently, as a dead host behind a switch would.
            ip("neigh", "replace", GATEWAY, "lladdr", "02:00:00:00:53:02", "dev", LINK, "nud", "permanent");
            ip("route", "replace", BLACK_HOLE, "via", GATEWAY, "dev", LINK);
            ip("route", "replace", "unreachable", NO_ROUTE);
            ip("route", "replace", "throw", NO_NETWORK);
            return faults;
        } catch (RuntimeException e) {
            faults.close();
            throw e;
        }
    }

    /** An address whose packets vanish: pings, connects and everything else time out. */
    public String blackHole(int host) {
        if (host < 1 || host > 254) {
            throw new IllegalArgumentException("host 1..254: " + host);
        }
        return "198.18.54." + host;
    }

    /** An address the kernel has no route to for this host: EHOSTUNREACH at once. */
    public String noRouteToHost() {
        return "198.18.55.1";
    }

    /** An address in a network this machine cannot reach at all: ENETUNREACH at once, the witness's own fault. */
    public String networkUnreachable() {
        return "198.18.56.1";
    }

    /** Removes the routes, the link (with its peer) and the namespace; what is already gone is fine. */
    @Override
    public void close() {
        quietly("route", "del", "throw", NO_NETWORK);
        quietly("route", "del", "unreachable", NO_ROUTE);
        quietly("link", "del", LINK);
        quietly("netns", "del", NAMESPACE);
    }

    private static void ip(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = IP.toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Command.run(COMMAND, command);
    }

    private static void quietly(String... arguments) {
        try {
            ip(arguments);
        } catch (RuntimeException absent) {
            // Already gone, or never made.
        }
    }
}
