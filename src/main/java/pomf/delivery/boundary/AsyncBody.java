package pomf.delivery.boundary;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.caps.boundary.Hold;
import pomf.delivery.control.BodySource;
import pomf.delivery.control.Piece;

/**
 * Writes one answer's body as the client's socket takes it, with no thread waiting for a slow client or a slow
 * source: the request thread writes what it can and returns; the container calls back when the socket drains, and
 * the source calls back when it has more bytes. One pump runs at a time per answer, whichever thread calls.
 *
 * <p>Each write follows an {@code isReady()} that said yes, so none ever blocks. Writes start at {@value #SLOW_SLICE}
 * bytes and double up to {@value #FAST_SLICE} while the client keeps up (fewer calls for fast clients), and fall back
 * whenever it makes the pump wait: a slow client never has much queued beyond the limit of Grizzly's queue, so the
 * queue soon falls below it again as the client reads, and its progress shows. A source that fails after the status was sent cuts
 * the connection, so the client sees a short body, never a complete-looking wrong one.
 */
public final class AsyncBody implements WriteListener {
    private static final Logger LOG = Logger.getLogger(AsyncBody.class.getName());
    /**
     * The largest write. A slow client's queue may exceed Grizzly's limit by one write, and its progress shows only
     * when the queue falls below the limit again: with 128 KiB, and half of a 256 KiB socket buffer to drain before
     * the kernel reports room, a client reading 16 KB/s shows progress at least every ~16 s.
     */
    static final int FAST_SLICE = 128 * 1024;

    static final int SLOW_SLICE = 64 * 1024;

    private final AsyncContext context;
    private final HttpServletResponse response;
    private final ServletOutputStream out;
    private final GrizzlyBridge.Handle grizzly;
    private final BodySource source;
    private final Executor wakeups;
    private final Piece piece = new Piece();
    private final AtomicInteger pumps = new AtomicInteger();
    private final Deliveries deliveries;
    /** Its client's slot, given back when the answer ends. */
    private final Hold hold;
    /** When the client's socket last took bytes (or the answer started). */
    private volatile long progressed = System.nanoTime();
    /** Whether the pump waits for the client's socket (not for the source). */
    private volatile boolean waitingForClient;

    private volatile boolean stalled;
    /** Bytes handed to the connection, and how often the pump waited for the source: written by the pump only. */
    private volatile long handed;

    private volatile int sourceWaits;
    /** The minimum rate's current window (the watchdog's alone): since when, and the counts then. */
    private long windowStart = progressed;

    private long windowHanded;
    private int windowSourceWaits;
    private final Runnable wake = this::wakeUp;
    private final Runnable pump = this::pump;
    private final long end;
    private long position;
    private int slice = SLOW_SLICE;
    private volatile boolean finished;

    private AsyncBody(
            AsyncContext context,
            HttpServletResponse response,
            ServletOutputStream out,
            GrizzlyBridge.Handle grizzly,
            BodySource source,
            long start,
            long length,
            Executor wakeups,
            Deliveries deliveries) {
        this.deliveries = deliveries;
        this.hold = Hold.of(context.getRequest());
        this.context = context;
        this.response = response;
        this.out = out;
        this.grizzly = grizzly;
        this.source = source;
        this.position = start;
        this.end = start + length;
        this.wakeups = wakeups;
    }

    /**
     * Sends {@code length} bytes from {@code start} of {@code source} as the body of an answer whose status and
     * headers are set. The request turns asynchronous (if it is not already); it completes when the body is
     * written, cut or abandoned, and the source is closed then.
     *
     * @param wakeups where the source's call-backs pump (never the source's own thread: a fill feeds many answers)
     * @param mayFail whether the source can fail mid-body (an origin fetch): without the Grizzly bridge such an
     *     answer closes its connection at the end, the only way a client can then tell a cut body
     * @param deliveries where the answer is watched for a client that stopped reading
     */
    static void send(
            HttpServletRequest request,
            HttpServletResponse response,
            BodySource source,
            long start,
            long length,
            Executor wakeups,
            boolean mayFail,
            Deliveries deliveries)
            throws IOException {
        GrizzlyBridge.Handle grizzly = GrizzlyBridge.open(response);
        if (grizzly == null && mayFail) {
            response.setHeader("Connection", "close");
        }
        AsyncContext context = asyncOf(request);
        ServletOutputStream out = response.getOutputStream();
        AsyncBody body = new AsyncBody(context, response, out, grizzly, source, start, length, wakeups, deliveries);
        deliveries.started(body);
        if (grizzly != null && grizzly.clientGone()) {
            // It hung up after its request (a burst of ranged requests, each closed at once, is the pattern): its
            // body is neither read from the store nor fetched, and its connection is closed now, as nginx does.
            deliveries.hungUp();
            grizzly.drop();
            body.end(false);
            return;
        }
        out.setWriteListener(body);
    }

    /**
     * The request's asynchronous context, started now without a container timeout if it was not started yet (answers
     * end by their own rules: the body's end, a cut, {@code send-timeout}); one started earlier keeps its timeout.
     */
    public static AsyncContext asyncOf(HttpServletRequest request) {
        if (request.isAsyncStarted()) {
            return request.getAsyncContext();
        }
        AsyncContext context = request.startAsync();
        context.setTimeout(0);
        Hold.attach(request, context); // before anything can complete it: its client's slot ends with it
        return context;
    }

    @Override
    public void onWritePossible() {
        waitingForClient = false;
        progressed = System.nanoTime();
        pump();
    }

    /** Cuts the answer when its client's socket has taken nothing since {@code cutoff} (send_timeout). */
    void cutIfStalledSince(long cutoff) {
        if (waitingForClient && progressed - cutoff < 0 && !finished) {
            stalled = true;
            pump();
        }
    }

    /**
     * Cuts the answer when its client took fewer than {@code minRate} bytes a second over the window just ended
     * (issue 14, finding 6). A window in which the pump waited for the source (an edge's fill from a slow origin) is
     * not held against the client. Bytes are counted as the connection takes them into its queue, which runs ahead
     * of the client by what the socket buffers hold: a client that reads nothing is judged by its second window.
     */
    void cutIfSlowerThan(long minRate, long windowNanos, long now) {
        long elapsed = now - windowStart;
        if (finished || elapsed < windowNanos) {
            return;
        }
        long bytes = handed;
        int waits = sourceWaits;
        boolean judged = waits == windowSourceWaits;
        long moved = bytes - windowHanded;
        windowStart = now;
        windowHanded = bytes;
        windowSourceWaits = waits;
        if (judged && moved < minRate * (elapsed / 1e9)) {
            LOG.fine(() -> "a client took " + moved + " bytes in " + elapsed / 1_000_000 + " ms: its answer is cut");
            stalled = true;
            pump();
        }
    }

    @Override
    public void onError(Throwable failure) {
        LOG.fine(() -> "client left: " + failure);
        end(false);
    }

    private void wakeUp() {
        if (!finished) {
            wakeups.execute(pump);
        }
    }

    /** Runs the pump here unless it runs elsewhere already, then it goes round once more. */
    private void pump() {
        if (pumps.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            try {
                drain();
            } catch (IOException e) {
                // The client went away while we wrote.
                LOG.fine(() -> "writing an answer: " + e);
                end(false);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "an answer failed mid-body; its connection is cut", e);
                cut();
            }
            missed = pumps.addAndGet(-missed);
        } while (missed != 0);
    }

    private void drain() throws IOException {
        boolean unflushed = false;
        while (!finished) {
            if (stalled) {
                LOG.fine("a client took no byte for send-timeout, or too few for min-rate: its answer is cut");
                if (grizzly != null && response.isCommitted()) {
                    grizzly.drop();
                    end(false);
                } else {
                    cut();
                }
                return;
            }
            if (position >= end) {
                end(true);
                return;
            }
            if (!out.isReady()) {
                slice = SLOW_SLICE; // the container calls onWritePossible when the socket drains
                waitingForClient = true;
                return;
            }
            boolean ready;
            try {
                ready = source.next(position, (int) Math.min(slice, end - position), piece, wake);
            } catch (IOException e) {
                LOG.fine(() -> "the source of an answer failed: " + e.getMessage());
                cut();
                return;
            }
            if (!ready) {
                sourceWaits++; // one writer: the pump
                if (unflushed && out.isReady()) {
                    out.flush(); // small pieces wait in Grizzly's buffer otherwise
                }
                return;
            }
            write(piece);
            unflushed = true;
            position += piece.length();
            handed += piece.length();
            progressed = System.nanoTime();
            if (slice < FAST_SLICE) {
                slice *= 2; // the client keeps up: fewer, larger writes
            }
        }
    }

    private void write(Piece p) throws IOException {
        if (grizzly != null) {
            grizzly.write(p.asBuffer());
        } else if (p.array() != null) {
            out.write(p.array(), p.offset(), p.length());
        } else {
            byte[] copy = new byte[p.length()];
            p.asBuffer().get(copy);
            out.write(copy);
        }
    }

    /**
     * The body cannot be finished: the connection closes short of its Content-Length. Before the first byte left,
     * the answer becomes a 502 instead (nothing of the body was promised yet).
     */
    private void cut() {
        if (!response.isCommitted()) {
            response.reset();
            response.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(0);
        } else if (grizzly != null) {
            grizzly.cut();
        }
        end(false);
    }

    private void end(boolean whole) {
        if (finished) {
            return;
        }
        finished = true;
        deliveries.ended(this);
        try {
            source.close();
        } finally {
            try {
                context.complete();
            } catch (IllegalStateException e) {
                // already completed by the container (the client left)
            } finally {
                hold.giveBack();
            }
        }
        if (!whole) {
            LOG.fine("an answer ended before its last byte");
        }
    }
}
