package pomf.upload.boundary;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;
import pomf.delivery.boundary.ListenerFront;
import pomf.storage.control.ContentSink;
import pomf.upload.control.Receiver;
import pomf.upload.control.Reception;
import pomf.upload.entity.OutputFormat;
import pomf.upload.entity.UploadRejectedException;
import pomf.upload.entity.UploadedFile;

/**
 * One upload in flight, driven by Servlet non-blocking I/O. The container calls back when body bytes can be read;
 * they go straight into the {@link Reception}, and when it needs a step that waits for the disk or the database,
 * reading pauses while the step runs on the storage I/O pool, then resumes from that thread. No thread waits for
 * the client, and a waiting upload holds its parser's state only (the read buffer is borrowed per callback). Every transition happens
 * under this object's lock, so exactly one thread reads at a time; the steps run outside it, and so does the
 * ending (discarding, answering, completing), which runs once, after every other path was closed under the lock.
 */
final class UploadInFlight implements ReadListener, AsyncListener {
    private static final Logger LOG = Logger.getLogger(UploadInFlight.class.getName());
    private final UploadsInFlight uploads;
    private final ServletInputStream in;
    private final Reception reception;
    private final UploadEnding ending;
    private final HttpServletResponse response;
    /**
     * The body is read on the selector thread (ListenerFront.readOnSelector) until the writer might have to wait
     * for the hashing pool, then on the HTTP pool.
     */
    private boolean readOnSelector;

    private final String client;
    /** Borrowed while bytes are read and parsed, given back while the upload waits for its client. */
    private byte[] buffer;

    private int position;
    private int limit;
    private long received;
    /** The body's length from Content-Length, or -1 (chunked): reading stops there. */
    private final long expected;

    private volatile long lastProgress = System.nanoTime();
    private final long started = lastProgress;
    /** Where the minimum rate's current window started, and what had been received then. */
    private long windowStart = started;

    private long windowReceived;
    private boolean stepping;
    /** A step's thread is deciding what comes next (under the lock): a step asked for now runs on it. */
    private boolean afterStepHere;
    /** The step the pump asked for while {@link #afterStepHere}, for {@link #runSteps} to run next. */
    private Runnable nextStep;
    /** Answered or abandoned: late callbacks find nothing to do. */
    private boolean over;
    /**
     * The whole body has arrived (onAllDataRead): what is unread is read to the end without asking isReady(), which
     * Grizzly refuses once it has announced the end (it may announce it with the last bytes still unread).
     */
    private boolean allArrived;
    /** The read loop is running (on the thread that holds the lock). */
    private boolean pumping;
    /** A read callback came while the loop ran, from inside isReady(): what it announced is there to read. */
    private boolean calledBack;
    /** The client went away (or the container ended the request) while a step ran. */
    private boolean gone;

    private List<UploadedFile> published;

    UploadInFlight(
            UploadsInFlight uploads,
            AsyncContext async,
            ServletInputStream in,
            long expected,
            HttpServletResponse response,
            Reception reception,
            OutputFormat format,
            String client) {
        this.uploads = uploads;
        this.in = in;
        this.expected = expected;
        this.reception = reception;
        this.client = client;
        this.response = response;
        this.ending = new UploadEnding(async, response, reception, format, client, uploads.traffic());
    }

    @Override
    public void onDataAvailable() {
        run(pump());
    }

    @Override
    public void onAllDataRead() {
        synchronized (this) {
            allArrived = true;
        }
        run(pump());
    }

    @Override
    public void onError(Throwable t) {
        LOG.fine(() -> "upload from " + client + " abandoned: " + t);
        run(leave());
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        run(leave());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        run(leave());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // never restarted
    }

    /** Its body's bytes are handed over on the selector thread that reads them. */
    synchronized void readOnSelector() {
        readOnSelector = true;
    }

    /** Ends the upload with a server error (it could not be started). */
    void abort(RuntimeException e) {
        Runnable then;
        synchronized (this) {
            then = over ? null : fail(e);
        }
        run(then);
    }

    /**
     * Refuses the upload if its client sent nothing for too long, too little over the last window, or took longer
     * than the deadline. Never while a step of ours runs; the time a step took does not count against a window.
     */
    void expireIfIdle(long now, UploadsInFlight.Rules rules) {
        run(expire(now, rules));
    }

    private synchronized Runnable expire(long now, UploadsInFlight.Rules rules) {
        if (over || stepping) {
            return null;
        }
        if (now - lastProgress > rules.idleNanos()) {
            return fail(new UploadRejectedException(
                    408, "The upload stalled: no data for " + rules.idleNanos() / 1_000_000_000L + " s."));
        }
        if (rules.deadlineNanos() > 0 && now - started > rules.deadlineNanos()) {
            return fail(new UploadRejectedException(
                    408, "The upload took too long: longer than " + rules.deadlineNanos() / 1_000_000_000L + " s."));
        }
        long elapsed = now - windowStart;
        if (rules.minRate() > 0 && elapsed >= rules.windowNanos()) {
            long moved = received - windowReceived;
            windowStart = now;
            windowReceived = received;
            if (moved < rules.minRate() * (elapsed / 1e9)) {
                return fail(new UploadRejectedException(
                        408,
                        "The upload is too slow: less than " + rules.minRate() + " bytes/s over "
                                + rules.windowNanos() / 1_000_000_000L + " s."));
            }
        }
        return null;
    }

    /**
     * Reads and parses until the client has nothing more for now, a step must run, or the body is complete.
     * Returns how the upload ends when it does: that runs outside the lock (it writes and completes the request).
     */
    synchronized Runnable pump() {
        if (pumping) {
            // isReady() called back on this very thread (data or the end arrived meanwhile): the loop looks again.
            calledBack = true;
            return null;
        }
        if (over || stepping) {
            return null;
        }
        pumping = true;
        try {
            while (true) {
                if (reception.hasStep()) {
                    step(reception::runStep);
                    return null;
                }
                if (reception.isComplete()) {
                    Receiver.Received files = reception.received();
                    step(() -> published = uploads.publisher().publish(files, client));
                    return null;
                }
                if (position < limit) {
                    position += reception.take(buffer, position, limit - position);
                } else if (expected >= 0 && received >= expected) {
                    // The whole body is here by its length. Grizzly announces no end for a request that asked to
                    // switch protocols (Upgrade: h2c, which is not offered): it would wait for bytes that never come.
                    reception.endOfInput();
                } else if (allArrived || in.isReady()) {
                    if (buffer == null) {
                        buffer = uploads.borrowBuffer();
                    }
                    if (read()) {
                        // Moved off the selector thread: this loop, which goes on while bytes keep coming, goes
                        // on on the I/O pool, where the sink may wait for its chunks' hashing.
                        step(NOTHING);
                        return null;
                    }
                } else if (in.isFinished()) {
                    // Grizzly's isFinished() means "all of the body arrived", not "all of it was read": the last
                    // bytes may have arrived since isReady() said no. Everything is here, so it is read to the end.
                    allArrived = true;
                } else if (calledBack) {
                    calledBack = false;
                } else {
                    // The container calls onDataAvailable when more arrives; nothing is held meanwhile.
                    reception.pause();
                    giveBackBuffer();
                    return null;
                }
            }
        } catch (RuntimeException | IOException e) {
            return fail(e);
        } finally {
            pumping = false;
        }
    }

    /** Reads what the client sent; true when the body's reading just moved from the selector to the pools. */
    private boolean read() throws IOException {
        // Never past the declared length: after a request that asked to upgrade, Grizzly passes on whatever follows.
        int n = in.read(buffer, 0, expected < 0 ? buffer.length : (int) Math.min(buffer.length, expected - received));
        if (n < 0) {
            reception.endOfInput();
            return false;
        }
        received += n;
        if (received > uploads.maxRequestSize()) {
            throw UploadRejectedException.tooLarge(uploads.maxRequestSize());
        }
        position = 0;
        limit = n;
        lastProgress = System.nanoTime();
        if (readOnSelector && received > ContentSink.HASHED_INLINE) {
            // From here the sink may wait for its chunks to be hashed on the pool: never on a selector thread.
            readOnSelector = false;
            ListenerFront.readOnPool(response);
            return true;
        }
        return false;
    }

    /**
     * Runs a blocking step on the I/O pool with reading paused; then goes on from that thread. A step asked for by
     * the pump that follows a step runs next on the same thread (a small upload's file, fsync and publication are
     * three steps in a row): a hand-off to another of the pool's threads would only add a wake-up.
     */
    private void step(Runnable work) {
        stepping = true;
        if (afterStepHere) {
            nextStep = work;
            return;
        }
        try {
            uploads.blocking().execute(() -> runSteps(work));
        } catch (RejectedExecutionException e) {
            stepping = false;
            throw e;
        }
    }

    private void runSteps(Runnable first) {
        for (Runnable work = first; work != null; ) {
            work = afterStep(attempt(work));
        }
    }

    /** A step that only moves the upload's reading onto the I/O pool. */
    private static final Runnable NOTHING = () -> {};

    private static RuntimeException attempt(Runnable work) {
        try {
            work.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** After a step: the upload goes on (or ends) from this thread; returns the next step to run here, if any. */
    private Runnable afterStep(RuntimeException failure) {
        Runnable then;
        Runnable next;
        synchronized (this) {
            stepping = false;
            lastProgress = System.nanoTime();
            windowStart = lastProgress;
            windowReceived = received;
            afterStepHere = true;
            try {
                if (over) {
                    then = null;
                } else if (gone) {
                    then = leave();
                } else if (failure != null) {
                    then = fail(failure);
                } else if (published != null) {
                    then = succeed();
                } else {
                    then = pump();
                }
            } finally {
                afterStepHere = false;
            }
            next = nextStep;
            nextStep = null;
        }
        run(then);
        return next;
    }

    private Runnable succeed() {
        over();
        return ending.success(published);
    }

    private Runnable fail(Exception e) {
        if (e instanceof IOException || !(e instanceof RuntimeException failure)) {
            LOG.fine(() -> "upload from " + client + " abandoned: " + e);
            return leave();
        }
        over();
        return ending.refusal(failure);
    }

    /** The request is over without an answer (client gone, container done): nothing kept, now or after the step. */
    private synchronized Runnable leave() {
        if (over) {
            return null;
        }
        if (stepping) {
            gone = true;
            return null;
        }
        over();
        return ending.silence();
    }

    /** From here on, callbacks find nothing to do: the ending runs once, outside the lock. */
    private void over() {
        over = true;
        giveBackBuffer();
        uploads.ended(this);
    }

    private void giveBackBuffer() {
        if (buffer != null) {
            uploads.giveBackBuffer(buffer);
            buffer = null;
            position = 0;
            limit = 0;
        }
    }

    private static void run(Runnable then) {
        if (then != null) {
            then.run();
        }
    }
}
