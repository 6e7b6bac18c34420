package pomf.delivery.control;

import java.io.IOException;

/**
 * Where the bytes of one answer come from. It never blocks: it either has bytes at a position now, or arranges to
 * call back when it has, or knows they will never come (the answer is then cut, never completed short).
 */
public interface BodySource extends AutoCloseable {

    /**
     * Points {@code piece} at the bytes from {@code position} on, at most {@code max} of them.
     *
     * @return true when {@code piece} holds at least one byte; false when there are none yet, in which case
     *     {@code wake} runs (once, on any thread) when there may be
     * @throws IOException when the bytes will never come (the origin failed mid-body, the object was purged)
     */
    boolean next(long position, int max, Piece piece, Runnable wake) throws IOException;

    /** The answer ended, whole, cut or abandoned by its client: let go of what the source holds for it. */
    @Override
    default void close() {}
}
