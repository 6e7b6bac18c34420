package pomf.upload.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.caps.boundary.Hold;
import pomf.delivery.boundary.ListenerFront;
import pomf.metrics.control.Traffic;
import pomf.storage.control.StorageExecutors;
import pomf.upload.control.Reception;
import pomf.upload.control.UploadSettings;
import pomf.upload.entity.OutputFormat;

/**
 * The uploads being received: starts each one in asynchronous mode, and watches them, since with no thread
 * blocked in a read nothing else would notice a client that stopped sending without closing its connection.
 */
@ApplicationScoped
public class UploadsInFlight {
    private static final Logger LOG = Logger.getLogger(UploadsInFlight.class.getName());

    /** Bytes a second an upload must average over each window (issue 14, finding 6); 0: any pace will do. */
    @Inject
    @ConfigProperty(name = "pomf.upload.min-rate", defaultValue = "0")
    long minRate;

    @Inject
    @ConfigProperty(name = "pomf.upload.min-rate-window", defaultValue = "60")
    int minRateWindowSeconds;

    /** The longest an upload may take, in seconds; 0: no limit. */
    @Inject
    @ConfigProperty(name = "pomf.upload.deadline", defaultValue = "0")
    int deadlineSeconds;

    @Inject
    Publisher publisher;

    @Inject
    Traffic traffic;

    @Inject
    StorageExecutors executors;

    @Inject
    UploadSettings settings;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** Enough to keep fast uploads fast (Grizzly hands out its buffers in pieces of this order). */
    private static final int BUFFER = 16 * 1024;

    private final Set<UploadInFlight> uploads = ConcurrentHashMap.newKeySet();
    /** Read buffers of uploads that are not waiting for their clients: few at any time, whatever the uploads. */
    private final ArrayBlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(64);

    private ScheduledFuture<?> watch;
    private Rules rules;

    /**
     * What ends an upload whose client makes too little progress: nothing sent for {@code idleNanos}; with a minimum
     * rate, fewer than {@code minRate} bytes a second over a window; with a deadline, a longer upload.
     */
    record Rules(long idleNanos, long minRate, long windowNanos, long deadlineNanos) {}

    @PostConstruct
    void watch() {
        rules = new Rules(
                TimeUnit.SECONDS.toNanos(settings.idleTimeoutSeconds()),
                Math.max(0, minRate),
                TimeUnit.SECONDS.toNanos(Math.max(1, minRateWindowSeconds)),
                TimeUnit.SECONDS.toNanos(Math.max(0, deadlineSeconds)));
        watch = scheduler.scheduleWithFixedDelay(this::expireIdle, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        watch.cancel(false);
    }

    /** Puts the request in asynchronous mode; from here on the reception is the upload's to discard. */
    void start(
            HttpServletRequest request,
            HttpServletResponse response,
            Reception reception,
            OutputFormat format,
            String client)
            throws IOException {
        AsyncContext async = request.startAsync(request, response);
        // A slow upload may take hours: idleness is watched here instead of a deadline for the whole request.
        async.setTimeout(0);
        Hold.attach(request, async); // before anything can complete it: its client's slot ends with it
        UploadInFlight upload = new UploadInFlight(
                this,
                async,
                request.getInputStream(),
                request.getContentLengthLong(),
                response,
                reception,
                format,
                client);
        uploads.add(upload);
        async.addListener(upload);
        // Each arrival of body bytes is handled where it was read, without a hand-off to the HTTP pool.
        if (ListenerFront.readOnSelector(response)) {
            upload.readOnSelector();
        }
        try {
            // The container may call onDataAvailable at once, on this thread.
            request.getInputStream().setReadListener(upload);
        } catch (RuntimeException e) {
            upload.abort(e);
        }
    }

    void ended(UploadInFlight upload) {
        uploads.remove(upload);
    }

    /** How many uploads are being received right now. */
    public int count() {
        return uploads.size();
    }

    byte[] borrowBuffer() {
        byte[] buffer = buffers.poll();
        return buffer != null ? buffer : new byte[BUFFER];
    }

    void giveBackBuffer(byte[] buffer) {
        buffers.offer(buffer);
    }

    Publisher publisher() {
        return publisher;
    }

    Traffic traffic() {
        return traffic;
    }

    ExecutorService blocking() {
        return executors.blocking();
    }

    long maxRequestSize() {
        return settings.maxRequestSize();
    }

    private void expireIdle() {
        long now = System.nanoTime();
        for (UploadInFlight upload : uploads) {
            try {
                upload.expireIfIdle(now, rules);
            } catch (RuntimeException e) {
                // One failure must not stop the watch (a scheduled task that throws is never run again).
                LOG.log(Level.WARNING, "idle upload could not be ended", e);
            }
        }
    }
}
