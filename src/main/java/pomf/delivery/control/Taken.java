package pomf.delivery.control;

import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * A body source that tells, when its answer ends, how many of its bytes the answer took: what an operator's
 * bandwidth graphs and reports count, as nginx's {@code $body_bytes_sent} does. A viewer who leaves a video after a
 * minute took a minute of it, not the whole length the answer promised.
 */
public final class Taken implements BodySource {
    private final BodySource source;
    private final long start;
    private final LongConsumer ended;
    private long furthest;
    private boolean closed;

    /** {@code ended} receives the bytes taken from {@code start} on, once, when the answer ends. */
    public Taken(BodySource source, long start, LongConsumer ended) {
        this.source = source;
        this.start = start;
        this.ended = ended;
        this.furthest = start;
    }

    @Override
    public boolean next(long position, int max, Piece piece, Runnable wake) throws IOException {
        boolean ready = source.next(position, max, piece, wake);
        if (ready && position + piece.length() > furthest) {
            furthest = position + piece.length();
        }
        return ready;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            source.close();
        } finally {
            ended.accept(furthest - start);
        }
    }
}
