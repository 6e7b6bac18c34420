package pomf.tus.boundary;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.storage.control.ContentSink;
import pomf.tus.control.TusUpload;
import pomf.upload.entity.UploadRejectedException;

/**
 * One PATCH (or the body of a creation) in flight, read with Servlet non-blocking I/O: bytes are appended to the
 * upload's data file as the client sends them, so a slow client holds no thread. While every byte since the first
 * went through the upload's {@link ContentSink}, they are hashed on the way as a form upload's are; after a restart
 * or a dropped body they are written as they are, and hashed from the file at the end. At the end of a request its
 * bytes are handed to the OS (the last request's are synced with the whole file before it is published), its
 * checksum compared (a mismatch drops its bytes: 460), and the upload finished when its last byte has
 * landed; the disk and database steps run on the storage I/O pool. A client that goes away keeps what it sent,
 * unless it sent a checksum, which cannot be checked on part of a body: then its bytes are dropped. A
 * body that would go past the declared length is refused (413) and its bytes dropped.
 */
final class TusPatch implements ReadListener, AsyncListener, TusUpload.Writer {
    private static final Logger LOG = Logger.getLogger(TusPatch.class.getName());

    private final TusServlet servlet;
    private final TusUpload upload;
    private final AsyncContext async;
    private final ServletInputStream in;
    /** Writes and hashes the body when the upload's bytes so far were all hashed by it; else null. */
    private final ContentSink sink;
    /** Writes the body when there is no sink (after a restart, or a dropped body): hashed at the end. */
    private final FileChannel channel;

    private final long start;
    private final MessageDigest checksum;
    private final byte[] expected;
    private final boolean created;
    private final byte[] buffer = new byte[64 * 1024];
    /** Bytes of the upload read so far (a HEAD meanwhile answers it: {@link #received()}). */
    private volatile long offset;

    private boolean allArrived;
    private boolean pumping;
    /** A read callback came while the loop ran, from inside isReady(): what it announced is there to read. */
    private boolean calledBack;
    /** The body's length from Content-Length, or -1 (chunked): reading stops there. */
    private final long bodyLength;

    private volatile boolean over;
    private volatile long lastProgress = System.nanoTime();
    /** gone() ran: it releases the upload once, never after a newer request has claimed it. */
    private final AtomicBoolean ended = new AtomicBoolean();

    TusPatch(
            TusServlet servlet,
            TusUpload upload,
            AsyncContext async,
            long start,
            MessageDigest checksum,
            byte[] expected,
            boolean created)
            throws IOException {
        this.servlet = servlet;
        this.upload = upload;
        this.async = async;
        this.in = async.getRequest().getInputStream();
        this.bodyLength = async.getRequest().getContentLengthLong();
        this.start = start;
        this.offset = start;
        this.checksum = checksum;
        this.expected = expected;
        this.created = created;
        ContentSink kept = upload.sink();
        if (kept != null && kept.size() != start) {
            upload.dropSink();
            kept = null;
        }
        if (kept == null && start == 0) {
            kept = servlet.newSink(upload.data());
            upload.sink(kept);
        }
        this.sink = kept;
        if (kept == null) {
            this.channel = FileChannel.open(upload.data(), StandardOpenOption.WRITE);
            channel.truncate(start); // nothing past the offset the client was told
            channel.position(start);
        } else {
            this.channel = null;
        }
    }

    void begin() {
        upload.writing(this);
        servlet.writing(this);
        async.addListener(this);
        in.setReadListener(this);
    }

    @Override
    public void onDataAvailable() {
        pump();
    }

    @Override
    public void onAllDataRead() {
        synchronized (this) {
            allArrived = true;
        }
        pump();
    }

    private void pump() {
        Runnable then = null;
        synchronized (this) {
            if (pumping) {
                calledBack = true; // from inside isReady() on this thread: what it announced is there to read
                return;
            }
            if (over) {
                return;
            }
            pumping = true;
            try {
                while (!over) {
                    long left = bodyLength < 0 ? Long.MAX_VALUE : bodyLength - (offset - start);
                    if (left <= 0) {
                        // Complete by its length: Grizzly announces no end for a request that asked to switch
                        // protocols (Upgrade: h2c, as Java's HttpClient does), and what follows is not this body.
                        allArrived = true;
                        break;
                    }
                    if (!allArrived && !in.isReady()) {
                        if (allArrived) {
                            continue; // the end was announced from inside isReady(): the rest is read as it is
                        } else if (in.isFinished()) {
                            // all of the body arrived (not all of it was read): it is read to the end
                            allArrived = true;
                            continue;
                        } else if (calledBack) {
                            calledBack = false;
                            continue;
                        }
                        if (sink != null) {
                            // Waiting for the client: a slow client's bytes go to disk and its chunk back to the
                            // pool, a fast one's last chunk fills on while hashing is busy (a plain upload's pause:
                            // handing over every socket read wrote and hashed in 64 KiB pieces). A HEAD meanwhile
                            // answers the bytes read, and a request that takes over, or the end, hands them over.
                            sink.pause();
                        }
                        break;
                    }
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        allArrived = true;
                        break;
                    }
                    if (n == 0) {
                        if (allArrived) {
                            break;
                        }
                        continue;
                    }
                    if (offset + n > upload.length()) {
                        over = true;
                        then = () -> refuse(new UploadRejectedException(
                                413, "The body goes past the upload's length (" + upload.length() + " bytes)."));
                        break;
                    }
                    if (sink != null) {
                        sink.write(buffer, 0, n);
                    } else {
                        channel.write(ByteBuffer.wrap(buffer, 0, n));
                    }
                    if (checksum != null) {
                        checksum.update(buffer, 0, n);
                    }
                    offset += n;
                    lastProgress = System.nanoTime();
                }
                if (!over && allArrived) {
                    over = true;
                    then = this::end;
                }
            } catch (IOException e) {
                over = true;
                then = () -> gone(e);
            } finally {
                pumping = false;
            }
        }
        if (then != null) {
            run(then);
        }
    }

    /** The whole body is in: handed to the OS, checked, and the upload finished when it was the last byte. */
    private void end() {
        try {
            // Handed to the OS, not synced: a killed service loses none of it, and after a power loss the client
            // resumes from what reached the disk (it asks the offset). The last request syncs the whole file.
            if (sink != null) {
                sink.handOver();
            } else {
                channel.close();
            }
        } catch (IOException | RuntimeException e) {
            dropAndAnswer(new UploadRejectedException(503, "The upload cannot be stored right now.", 5, e));
            return;
        }
        if (checksum != null && !Arrays.equals(checksum.digest(), expected)) {
            dropAndAnswer(
                    new UploadRejectedException(460, "Checksum mismatch: the bytes of this request were dropped."));
            return;
        }
        servlet.answerPatch(async, upload, offset, created);
    }

    private void refuse(UploadRejectedException e) {
        dropAndAnswer(e);
    }

    private void dropAndAnswer(UploadRejectedException e) {
        try {
            closeWriter();
            try (FileChannel c = FileChannel.open(upload.data(), StandardOpenOption.WRITE)) {
                c.truncate(start);
                c.force(false);
            }
        } catch (IOException io) {
            LOG.log(Level.WARNING, "resumable upload " + upload.id() + ": a refused body could not be dropped", io);
        }
        servlet.answerRefusal(async, upload, e, start);
    }

    /** Answered, refused or abandoned: nothing more to watch. */
    synchronized boolean isOver() {
        return over;
    }

    @Override
    public long received() {
        return over || sink == null ? -1 : offset;
    }

    @Override
    public long idleNanos() {
        return System.nanoTime() - lastProgress;
    }

    /**
     * Its client went quiet, and a new request for the upload came (a phone that changed networks resumes on a new
     * connection while the server still holds the old one) or the idle timeout ran out: this one ends now (408), as
     * if its client had gone.
     */
    @Override
    public void abandon() {
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
        }
        try {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            response.setHeader("Connection", "close");
            response.setStatus(408);
        } catch (RuntimeException e) {
            // the response is gone already
        }
        gone(new IOException("a newer request took the upload over"));
    }

    /** The client went away (or the container ended the request): what arrived stays, unless it is unchecked. */
    private void gone(Throwable t) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        LOG.fine(() -> "resumable upload " + upload.id() + " cut at " + offset + ": " + t);
        try {
            if (checksum != null) {
                closeWriter(); // unchecked bytes go
                try (FileChannel c = FileChannel.open(upload.data(), StandardOpenOption.WRITE)) {
                    c.truncate(start);
                    c.force(false);
                }
            } else if (sink != null) {
                sink.handOver(); // what was read counts: the offset a resuming client is told
            } else {
                channel.close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "resumable upload " + upload.id() + " could not be synced", e);
        }
        upload.release();
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // already completed by the container
        }
    }

    /** Stops writing this body: the sink goes (its hashes would not match the file), or the channel closes. */
    private void closeWriter() throws IOException {
        if (sink != null) {
            upload.dropSink();
        } else if (channel.isOpen()) {
            channel.close();
        }
    }

    private void run(Runnable step) {
        try {
            servlet.executor().execute(step);
        } catch (RejectedExecutionException e) {
            step.run(); // the application is stopping
        }
    }

    @Override
    public void onError(Throwable t) {
        leave(t);
    }

    @Override
    public void onError(AsyncEvent event) {
        leave(event.getThrowable());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        leave(new IOException("timed out"));
    }

    @Override
    public void onComplete(AsyncEvent event) {
        leave(new IOException("completed"));
    }

    private void leave(Throwable t) {
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
        }
        run(() -> gone(t));
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // never restarted
    }
}
