package pomf.delivery.control;

/**
 * An answer handed to its connection all at once (at the listener), whose last bytes wait in the connection's write
 * queue until the client takes them. Watched by the same rule as every other answer: no byte taken for the send
 * timeout, and the connection is cut.
 */
public interface Queued {

    /** Bytes still waiting; 0 once the socket has them all or the connection is closed. */
    long waiting();

    /** Closes the connection: its client took nothing for the send timeout. */
    void cut();
}
