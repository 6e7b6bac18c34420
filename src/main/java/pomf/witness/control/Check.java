package pomf.witness.control;

/** The three checks of every node, as in the original cron script. */
public enum Check {
    /** A GET of the node's health URL over HTTPS, the certificate verified. */
    HTTPS,
    /** An ICMP echo (or the system ping command when this process may not send ICMP). */
    PING,
    /** A TCP connection to the node's SSH port that reads the {@code SSH-2.0-} banner. */
    SSH
}
