package pomf.storage.control;

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

/**
 * The body of an answer read from the bucket: one ranged GET whose bytes are asked for one batch at a time as the
 * client takes them, so a slow client holds one connection to the store and a few buffers, never a thread. Closing it
 * (the answer ended or its client left) cancels the GET.
 */
final class StoreBody implements BodySource, HttpResponse.BodySubscriber<StoreBody> {
    private final CompletableFuture<StoreBody> ready = new CompletableFuture<>();
    private final ConcurrentLinkedQueue<ByteBuffer> received = new ConcurrentLinkedQueue<>();
    private final String key;
    private final Runnable closed;
    private volatile Flow.Subscription subscription;
    private volatile long lastRead = System.nanoTime();
    private volatile boolean asked;
    private volatile boolean complete;
    private volatile Throwable failure;
    private volatile Runnable wake;
    private ByteBuffer current;

    /** @param closed runs once the body is done with, whichever way (its owner stops watching it) */
    StoreBody(String key, Runnable closed) {
        this.key = key;
        this.closed = closed;
    }

    @Override
    public CompletionStage<StoreBody> getBody() {
        return ready;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        ready.complete(this); // the head is there; bytes are asked for as the client takes them
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
        ready.completeExceptionally(error);
        closed.run();
        poke();
    }

    @Override
    public void onComplete() {
        complete = true;
        closed.run();
        poke();
    }

    @Override
    public boolean next(long position, int max, Piece piece, Runnable wake) throws IOException {
        while (current == null || !current.hasRemaining()) {
            current = received.poll();
            if (current != null) {
                continue;
            }
            if (failure != null) {
                throw new IOException("the store failed mid-answer for " + key + ": " + failure, failure);
            }
            if (complete) {
                throw new IOException("the store's answer for " + key + " ended before its length");
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
        // No copy: the HTTP client never uses a buffer again once it handed it over (BodySubscriber's contract), so
        // the socket may hold a slice of it for as long as it needs.
        piece.set(current.slice(current.position(), n));
        current.position(current.position() + n);
        return true;
    }

    /** Drops the rest of the answer unread (an answer that is not sent: its status said no). */
    void discard() {
        close();
    }

    @Override
    public void close() {
        closed.run();
        Flow.Subscription s = subscription;
        if (s != null && !complete && failure == null) {
            s.cancel();
        }
        received.clear();
    }

    /**
     * Fails an answer the store sent nothing for since {@code cutoffNanos} while more was asked for (a stalled
     * store): the answer is cut, its connection to the store closed.
     */
    void expireIfIdleSince(long cutoffNanos) {
        if (!complete && failure == null && asked && lastRead - cutoffNanos < 0) {
            onError(new IOException("no bytes from the store for " + key + " within the timeout"));
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }

    private void ask() {
        if (!asked) {
            asked = true;
            lastRead = System.nanoTime(); // the timeout runs from when more was asked for
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
}
