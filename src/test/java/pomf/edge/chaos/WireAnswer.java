package pomf.edge.chaos;

import java.util.Map;

/**
 * What came on the wire for one request: the status and headers as sent, how the body was framed, how many body
 * bytes arrived, and how the exchange ended. Body bytes themselves go to a {@link BodyMatch} as they arrive.
 *
 * @param status -1 when no status line came
 * @param headers names in lower case; repeated headers joined with ", "
 * @param sentNanos when the request was written (nanoTime)
 * @param endNanos when the exchange ended
 */
record WireAnswer(
        Ending ending,
        int status,
        Map<String, String> headers,
        Framing framing,
        long received,
        long sentNanos,
        long endNanos,
        String error) {

    /** How an exchange ended. */
    enum Ending {
        /** The whole body as its framing announced it (for a body delimited by closing: the close). */
        COMPLETE,
        /** The connection ended or was reset before the body was whole (or before a status line came). */
        CUT,
        /** No byte for the client's read timeout. */
        TIMEOUT,
        /** The client hung up on purpose after the bytes it wanted. */
        ABANDONED,
        /** The connection was refused (nothing listening). */
        REFUSED,
        /** Bytes that are not HTTP: a bad status line, headers or chunk. */
        MALFORMED,
        /** The run ended while the answer was still coming. */
        STOPPED
    }

    /** How the body's end is marked. */
    enum Framing {
        LENGTH,
        CHUNKED,
        /** Neither: the body ends when the connection closes, so a cut cannot be told from the end. */
        CLOSE,
        NONE
    }

    String header(String name) {
        return headers.get(name);
    }

    boolean answered() {
        return status > 0;
    }

    static WireAnswer without(Ending ending, long sent, String error) {
        return new WireAnswer(ending, -1, Map.of(), Framing.NONE, 0, sent, System.nanoTime(), error);
    }
}
