package pomf.witness.control;

/**
 * The checks of every node: the three of the original cron script, and the canary when one is configured
 * ({@code pomf.witness.canary}).
 */
public enum Check {
    /** A GET of the node's health URL over HTTPS, the certificate verified. */
    HTTPS,
    /** An ICMP echo (or the system ping command when this process may not send ICMP). */
    PING,
    /** A TCP connection to the node's SSH port that reads the {@code SSH-2.0-} banner. */
    SSH,
    /**
     * A GET of the canary file through the node, over HTTPS to its address, whose bytes must hash to the registry's
     * SHA-256: a node that is up but serves wrong bytes (a corrupt cache) fails it. Made only when configured.
     */
    CANARY
}
