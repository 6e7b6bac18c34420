package pomf.edge.control;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * At most {@code lanes} requests from this edge to the origin waiting for their answer's head at once; the others
 * wait in line, in order, holding no thread (a fill thread waits on its own). What a lane bounds is the origin's
 * costly part, the name's lookup: once an answer's head is in, its body streams outside the lanes. Without it a
 * flood of made-up names (each a miss the edge must ask about) put as many lookups on the origin at once as the
 * flood had connections, and the origin's own clients (uploads, its file requests) waited behind all of them
 * (issue 14, hostile clients). Like nginx's {@code max_conns} with a {@code queue} on an upstream server.
 */
public final class OriginLanes {
    private final int lanes;
    private final long maxWaitNanos;
    private final Executor starter;
    private final ArrayDeque<Waiter> line = new ArrayDeque<>();
    private int busy;

    /** The origin is busy with this edge's other requests, and this one waited its longest for a lane. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy(long waitedMillis) {
            super("no lane to the origin within " + waitedMillis + " ms", null, false, false);
        }
    }

    private record Waiter(Runnable start, CompletableFuture<?> answer, long since, boolean expires) {}

    /**
     * {@code maxWaitMillis}: how long a request may wait in line (checked by {@link #expire}); {@code starter} runs
     * the requests that waited, so one answer's completion does not start a chain of others on its own stack.
     */
    public OriginLanes(int lanes, long maxWaitMillis, Executor starter) {
        this.lanes = Math.max(1, lanes);
        this.maxWaitNanos = maxWaitMillis * 1_000_000L;
        this.starter = starter;
    }

    /**
     * Sends {@code request} now if a lane is free, else when one is; its lane is free again when the returned
     * future (the answer's head) completes. Fails with {@link Busy} after waiting too long in line.
     */
    public <T> CompletableFuture<T> send(Supplier<CompletableFuture<T>> request) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> sent;
            try {
                sent = request.get();
            } catch (RuntimeException e) {
                leave();
                answer.completeExceptionally(e);
                return;
            }
            // Started means out of the line: expire() no longer touches this answer, so nobody else completes it.
            sent.whenComplete((value, failure) -> {
                leave();
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else {
                    answer.complete(value);
                }
            });
        };
        if (enter(start, answer, true)) {
            start.run();
        }
        return answer;
    }

    /** Takes a lane for a blocking request (a fill thread's), waiting as long as it takes. */
    public void acquire() throws InterruptedException {
        CompletableFuture<Void> granted = new CompletableFuture<>();
        if (enter(() -> granted.complete(null), granted, false)) {
            return;
        }
        try {
            granted.get();
        } catch (InterruptedException e) {
            if (!withdraw(granted)) {
                leave(); // granted just as it was interrupted: give the lane back
            }
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Frees the lane {@link #acquire} took. */
    public void release() {
        leave();
    }

    /** Fails the requests that waited in line longer than allowed ({@link Busy}); call it every second or so. */
    public void expire(long nowNanos) {
        List<CompletableFuture<?>> late = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Waiter> it = line.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (nowNanos - w.since() <= maxWaitNanos) {
                    break; // in order of arrival: the rest waited less
                }
                if (w.expires()) {
                    late.add(w.answer());
                    it.remove();
                }
            }
        }
        for (CompletableFuture<?> answer : late) {
            answer.completeExceptionally(new Busy(maxWaitNanos / 1_000_000));
        }
    }

    /** Requests waiting for a lane (for metrics and tests). */
    public synchronized int waiting() {
        return line.size();
    }

    /** Lanes taken. */
    public synchronized int busy() {
        return busy;
    }

    public int lanes() {
        return lanes;
    }

    private synchronized boolean enter(Runnable start, CompletableFuture<?> answer, boolean expires) {
        if (busy < lanes) {
            busy++;
            return true;
        }
        line.addLast(new Waiter(start, answer, System.nanoTime(), expires));
        return false;
    }

    private synchronized boolean withdraw(CompletableFuture<?> answer) {
        return line.removeIf(w -> w.answer() == answer);
    }

    private void leave() {
        Waiter next;
        synchronized (this) {
            next = line.pollFirst();
            if (next == null) {
                busy--;
                return;
            }
        }
        // The lane passes to the next in line, started elsewhere.
        Waiter handed = next;
        try {
            starter.execute(handed.start());
        } catch (RuntimeException rejected) {
            handed.start().run();
        }
    }

    /** The cause of a failed answer, unwrapped: whether it was a lane's wait. */
    public static boolean busy(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Busy;
    }
}
