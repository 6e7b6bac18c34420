package pomf.witness.control;

/** How one check ended. Everything but {@link #OK} is a failure. */
public enum Outcome {
    OK,
    /** The node answered the connection with a reset: it is up but the service is not listening. */
    REFUSED,
    /** No answer within the check's deadline. */
    TIMEOUT,
    /** The TLS handshake failed: an untrusted, expired or mismatched certificate. */
    TLS_ERROR,
    /** The node cannot be reached (host unreachable, no answer to ARP). */
    UNREACHABLE,
    /** The node answered, but not as a healthy node does (an HTTP status other than 2xx, no SSH banner). */
    BAD_ANSWER,
    /** The node answered the canary with bytes other than the registry's (their length, hash and start in the detail). */
    WRONG_CONTENT,
    /**
     * The failure happened on the witness itself ("network is unreachable": no route or no link): it says nothing
     * about the node, so it is never a strike; for most nodes at once it makes the tick a witness fault.
     */
    LOCAL_ERROR,
    /**
     * The witness had no capacity to run the check in time (every ping thread busy with silent nodes): it says
     * nothing about the node nor about the network, so it is neither a strike nor a witness fault.
     */
    NOT_CHECKED;

    public boolean ok() {
        return this == OK;
    }

    /** Whether the check says the node (or the witness's network) failed: anything but OK and NOT_CHECKED. */
    public boolean failed() {
        return this != OK && this != NOT_CHECKED;
    }
}
