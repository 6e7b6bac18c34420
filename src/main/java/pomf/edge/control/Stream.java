package pomf.edge.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.logging.Logger;
import pomf.edge.entity.CachedObject;

/**
 * The fetching of one {@link Filler.Segment}: ranged GETs of its chunks, each chunk stored as soon as it is complete.
 * A GET asks for no more than its readers will want if they read on (up to fill-ahead beyond each), and the stream
 * reads from it only what they want so far (a window that grows as each reads); when it stops short, the GET is let
 * go (its connection closed), so an origin never sends much more than a receive window that nobody will read; while
 * readers want more, the stream goes on with the next GET. It stops at the
 * segment's end (which a split or a seek may move closer), when the readers still there want nothing further of it
 * for a while (one that left wants nothing), when its
 * object is purged, or when the origin fails (the chunk being filled fails with it: its readers are cut).
 */
final class Stream implements Runnable {
    private static final Logger LOG = Logger.getLogger(Stream.class.getName());
    /** How long a stream that reached what readers want waits for them to want more before it stops. */
    private static final long LINGER_MILLIS = 1000;
    /** A stream that would need longer than this for its segment's rest hands half of it to another connection. */
    private static final long SPLIT_AFTER_NANOS = 1_000_000_000L;
    /** How long a stream runs before its pace is trusted (a cold start or a first slow packet says little). */
    private static final long MEASURE_NANOS = 250_000_000L;

    private final Filler filler;
    private final Filler.Plan plan;
    private final Filler.Segment segment;
    private final CachedObject object;
    private OriginClient.Response response;
    /** The chunk after the last one the current GET asked for. */
    private int requestedEnd;

    private long started;
    private long received;

    /** {@code adopted}, if not null, is an answer already carrying chunks {@code segment.next} to {@code adoptedEnd}. */
    Stream(Filler filler, Filler.Plan plan, Filler.Segment segment, OriginClient.Response adopted, int adoptedEnd) {
        this.filler = filler;
        this.plan = plan;
        this.segment = segment;
        this.object = plan.object;
        this.response = adopted;
        this.requestedEnd = adoptedEnd;
        segment.response = adopted;
    }

    @Override
    public void run() {
        int index = segment.next;
        Fill fill = null;
        try {
            InputStream in = response != null ? response.body() : null;
            started = System.nanoTime();
            byte[] buffer = new byte[64 * 1024];
            boolean first = response == null;
            while ((fill = next(index, first)) != null) {
                first = false;
                if (in == null || index >= requestedEnd) {
                    in = open(index);
                }
                while (!fill.full()) {
                    int n = in.read(buffer, 0, Math.min(buffer.length, fill.capacity() - fill.length()));
                    if (n < 0) {
                        throw new IOException("the origin closed the body early, in chunk " + index);
                    }
                    fill.append(buffer, 0, n);
                    received += n;
                    filler.counters().fromOrigin(n);
                }
                filler.breaker().success();
                filler.store().putChunk(object.chunkKey(index), fill.buffer(), fill.length());
                filler.filled(plan, segment, index, fill);
                fill.complete();
                fill = null;
                index++;
                maybeSplit(index);
            }
            finish(index >= requestedEnd);
        } catch (IOException e) {
            int at = index;
            if (plan.cancelled) {
                LOG.fine(() -> object.name() + " was purged while it was fetched");
            } else {
                if (!(e instanceof OriginClient.Refusal refusal) || refusal.originFault()) {
                    filler.breaker().failure(e instanceof SocketTimeoutException ? "timeout" : String.valueOf(e));
                }
                LOG.warning(() -> "fetching " + object.name() + " from chunk " + at + " failed: " + e.getMessage());
            }
            failed(index, fill, e);
            finish(false);
        } catch (RuntimeException | Error e) {
            failed(index, fill, new IOException("the fill failed: " + e, e));
            finish(false);
            throw e;
        } finally {
            filler.ended(plan, segment);
        }
    }

    private void failed(int index, Fill fill, IOException e) {
        segment.failure = e;
        if (fill != null) {
            filler.fills().remove(object.chunkKey(index), fill);
            fill.fail(e);
        }
    }

    /** Lets go of the current answer: read to its end for reuse when it was taken whole, else its connection closes. */
    private void finish(boolean whole) {
        if (response != null) {
            if (whole) {
                response.close();
            } else {
                response.abort();
            }
            response = null;
        }
    }

    /**
     * A ranged GET from chunk {@code index} up to what readers want now (at least that chunk), and no more than a
     * share of what is left ({@link Filler#getSpan}): a split then hands another connection a part nobody has asked
     * the origin for yet, instead of cutting short a GET whose bytes are already on their way.
     */
    private InputStream open(int index) throws IOException {
        finish(true);
        synchronized (plan) {
            int span = filler.getSpan(segment.end - index);
            requestedEnd = Math.min(index + span, Math.max(plan.reach(index, segment.end), index + 1));
        }
        long from = object.chunkStart(index);
        long to = Math.min(object.size(), object.chunkStart(requestedEnd)) - 1;
        response = filler.origin()
                .get(object.name(), "GET", Map.of("Range", "bytes=" + from + "-" + to, "If-Range", object.etag()));
        segment.response = response;
        if (plan.cancelled) {
            throw new IOException("purged");
        }
        boolean sameVersion = object.etag().equals(response.header("ETag"));
        if (response.status() == 206 && sameVersion) {
            return response.body();
        }
        if (response.status() == 200 && sameVersion) {
            InputStream in = response.body(); // an origin that ignores ranges: skip to the chunk in the whole body
            in.skipNBytes(from);
            requestedEnd = object.chunkCount();
            return in;
        }
        throw new OriginClient.Refusal(
                response.status(),
                response.status() >= 500 || response.foreignNotFound(),
                "origin answered " + response.status() + " for chunks " + index + "-" + requestedEnd + " of "
                        + object.name() + " (version " + object.etag() + ")");
    }

    /**
     * The fill of the next chunk to fetch, or null when the stream should stop here. A stream that has not fetched
     * yet and finds nobody wanting its first chunk (its readers left while it waited for a thread) stops at once,
     * so streams queued for clients that hung up cost the clients behind them no thread time.
     */
    private Fill next(int index, boolean first) throws IOException {
        synchronized (plan) {
            Fill adopted = segment.fill;
            if (adopted != null) {
                segment.fill = null;
                return adopted;
            }
            long deadline = System.currentTimeMillis() + (first ? 0 : LINGER_MILLIS);
            while (!plan.cancelled && index < segment.end && index >= plan.wanted(index, segment.end)) {
                long wait = deadline - System.currentTimeMillis();
                if (wait <= 0) {
                    return null; // nobody wants more of it: stop
                }
                try {
                    segment.waitingAt = index;
                    try {
                        plan.wait(wait);
                    } finally {
                        segment.waitingAt = -1;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (plan.cancelled || index >= segment.end) {
                return null;
            }
            String key = object.chunkKey(index);
            if (filler.fills().containsKey(key) || filler.store().hasChunk(key)) {
                return null; // another stream has it: our part ends here
            }
            return filler.openFill(plan, segment, index);
        }
    }

    private void maybeSplit(int index) {
        long elapsed = System.nanoTime() - started;
        if (filler.connections() <= 1 || elapsed < MEASURE_NANOS || received == 0 || index >= segment.end) {
            return;
        }
        long left = object.chunkStart(Math.min(segment.end, object.chunkCount())) - object.chunkStart(index);
        double nanosPerByte = (double) elapsed / received;
        if (left * nanosPerByte > SPLIT_AFTER_NANOS) {
            filler.split(plan, segment, index, requestedEnd);
        }
    }
}
