package pomf.witness.control;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLContext;

/**
 * What the probes are allowed to spend and whom they trust.
 *
 * @param httpsTimeout the HTTPS check's hard deadline (connect, handshake, response)
 * @param pingTimeout how long an ICMP echo waits for its reply, once sent
 * @param sshTimeout the SSH check's hard deadline (connect and banner)
 * @param sslContext the trust of the HTTPS check, see {@link TrustStores}
 * @param maxConcurrentPings how many pings may block a thread at once; pings that cannot start within one ping
 *     timeout are recorded as witness faults, not as timeouts of the node
 * @param threads where the probes' pool threads come from (the container's managed factory in the service)
 */
public record ProbeSettings(
        Duration httpsTimeout,
        Duration pingTimeout,
        Duration sshTimeout,
        SSLContext sslContext,
        int maxConcurrentPings,
        ThreadFactory threads) {

    /**
     * A blocked ping holds its thread for one ping timeout and may wait for one while the tick's other checks run:
     * with the default deadlines the pool pings about 640 silent nodes in a tick (the rest are NOT_CHECKED).
     */
    public static final int DEFAULT_MAX_CONCURRENT_PINGS = 256;

    public ProbeSettings {
        positive(httpsTimeout, "httpsTimeout");
        positive(pingTimeout, "pingTimeout");
        positive(sshTimeout, "sshTimeout");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(threads, "threads");
        if (maxConcurrentPings < 1) {
            throw new IllegalArgumentException("maxConcurrentPings must be at least 1: " + maxConcurrentPings);
        }
    }

    /** The original's budget: 5 s for HTTPS and SSH, 2 s for a ping; the JDK's default trust; {@code threads}. */
    public static ProbeSettings defaults(ThreadFactory threads) {
        return new ProbeSettings(
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                TrustStores.sslContext(Optional.empty(), Optional.empty()),
                DEFAULT_MAX_CONCURRENT_PINGS,
                threads);
    }

    public ProbeSettings withTimeouts(Duration https, Duration ping, Duration ssh) {
        return new ProbeSettings(https, ping, ssh, sslContext, maxConcurrentPings, threads);
    }

    public ProbeSettings withSslContext(SSLContext context) {
        return new ProbeSettings(httpsTimeout, pingTimeout, sshTimeout, context, maxConcurrentPings, threads);
    }

    public ProbeSettings withMaxConcurrentPings(int pings) {
        return new ProbeSettings(httpsTimeout, pingTimeout, sshTimeout, sslContext, pings, threads);
    }

    /** The longest any one check may take: a tick over all nodes ends about then. */
    public Duration longestDeadline() {
        Duration longest = httpsTimeout.compareTo(sshTimeout) >= 0 ? httpsTimeout : sshTimeout;
        Duration ping = IcmpProbe.deadline(this);
        return longest.compareTo(ping) >= 0 ? longest : ping;
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
