package pomf.edge.control;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import pomf.delivery.control.BodySource;
import pomf.delivery.control.Piece;
import pomf.edge.entity.CachedObject;

/**
 * The body of one pass-through answer: the origin's bytes, asked for one batch at a time as the client takes them.
 * When a fill of the same object version (same ETag) has the bytes this answer needs next — a herd's first
 * request is passed through, the second starts a fill that soon overtakes it — the answer goes on from the cache
 * and lets go of its origin connection: one object is then fetched about once, not once per early client.
 */
public final class Passthrough implements BodySource, HttpResponse.BodySubscriber<Passthrough> {
    private final String name;
    private final HttpResponse.ResponseInfo info;
    private final EdgeCache cache;
    private final PassthroughClient client;
    private final CompletableFuture<Passthrough> body = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<ByteBuffer> received = new ConcurrentLinkedQueue<>();
    /** Where the answer's body starts in the object (its Content-Range), for a switch to the cache. */
    private final long offset;

    private final String etag;
    private volatile Flow.Subscription subscription;
    private volatile boolean asked;
    private volatile boolean complete;
    private volatile Throwable failure;
    private volatile Runnable wake;
    private volatile long lastRead = System.nanoTime();
    private ByteBuffer current;
    private ChunkBody cached;
    private long cachedShift;

    Passthrough(String name, HttpResponse.ResponseInfo info, EdgeCache cache, PassthroughClient client) {
        this.name = name;
        this.info = info;
        this.cache = cache;
        this.client = client;
        this.etag = info.headers().firstValue("ETag").orElse(null);
        this.offset = rangeStart(info);
    }

    @Override
    public CompletionStage<Passthrough> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        // The answer (status, headers) is handed on at once; its bytes are asked for as the client takes them.
        body.complete(this);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        received.addAll(items);
        asked = false;
        lastRead = System.nanoTime();
        poke();
    }

    @Override
    public void onError(Throwable error) {
        failure = error;
        client.closed(this);
        poke();
    }

    @Override
    public void onComplete() {
        complete = true;
        client.closed(this);
        poke();
    }

    @Override
    public boolean next(long position, int max, Piece piece, Runnable wake) throws IOException {
        if (cached != null) {
            return cached.next(position + cachedShift, max, piece, wake);
        }
        if ((current == null || !current.hasRemaining()) && join(position)) {
            return cached.next(position + cachedShift, max, piece, wake);
        }
        while (current == null || !current.hasRemaining()) {
            current = received.poll();
            if (current != null) {
                continue;
            }
            if (failure != null) {
                throw new IOException("the origin failed mid-answer: " + failure, failure);
            }
            if (complete) {
                throw new IOException("the origin's answer ended before its Content-Length");
            }
            this.wake = wake;
            if (!received.isEmpty() || failure != null || complete) {
                this.wake = null;
                continue; // arrived meanwhile
            }
            ask();
            return false;
        }
        int n = Math.min(max, current.remaining());
        if (current.hasArray() && !current.isReadOnly()) {
            piece.set(current.array(), current.arrayOffset() + current.position(), n);
        } else {
            byte[] copy = new byte[n]; // a new one each time: the socket may still hold the last one
            current.duplicate().get(copy, 0, n);
            piece.set(copy, 0, n);
        }
        current.position(current.position() + n);
        cache.counters().fromOrigin(n);
        return true;
    }

    @Override
    public void close() {
        client.closed(this);
        Flow.Subscription s = subscription;
        if (s != null && !complete && failure == null) {
            s.cancel(); // the client left, or the answer goes on from the cache: the origin's connection closes
        }
        if (cached != null) {
            cached.close();
        }
    }

    /** Cuts an answer whose origin sent nothing for the read timeout (proxy_read_timeout). */
    void expireIfIdleSince(long cutoffNanos) {
        if (!complete && failure == null && asked && lastRead < cutoffNanos) {
            onError(new IOException("no bytes from the origin within the read timeout"));
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    /** Switches to the cache when a fill of this version holds the next byte. */
    private boolean join(long position) {
        if (etag == null || offset < 0 || (info.statusCode() != 200 && info.statusCode() != 206)) {
            return false;
        }
        CachedObject object = cache.stored(name);
        if (object == null || !etag.equals(object.etag())) {
            return false;
        }
        long at = offset + position;
        int index = (int) (at / object.chunkSize());
        int within = (int) (at - object.chunkStart(index));
        ChunkSource source = cache.filler().peek(object, index);
        boolean there = source instanceof ChunkSource.Stored
                || (source instanceof Fill fill && fill.length() > within && fill.failure() == null);
        if (!there) {
            return false;
        }
        long last = offset + contentLength() - 1;
        cached = new ChunkBody(object, last, cache.filler(), cache.counters());
        cachedShift = offset;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        client.closed(this);
        received.clear();
        current = null;
        return true;
    }

    private long contentLength() {
        return info.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    private void ask() {
        if (!asked) {
            asked = true;
            lastRead = System.nanoTime(); // the read timeout runs from when more was asked for
            subscription.request(1);
        }
    }

    private void poke() {
        Runnable w = wake;
        if (w != null) {
            wake = null;
            w.run();
        }
    }

    /** The first byte of the answer within the object: 0 for a 200, the start of a 206's range, -1 if unknown. */
    private static long rangeStart(HttpResponse.ResponseInfo info) {
        if (info.statusCode() == 200) {
            return 0;
        }
        String range = info.headers().firstValue("Content-Range").orElse("");
        int space = range.indexOf(' ');
        int dash = range.indexOf('-');
        if (!range.startsWith("bytes ") || dash < space) {
            return -1;
        }
        try {
            return Long.parseLong(range.substring(space + 1, dash).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
