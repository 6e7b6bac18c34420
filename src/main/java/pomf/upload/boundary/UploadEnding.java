package pomf.upload.boundary;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.caps.boundary.Hold;
import pomf.metrics.control.Traffic;
import pomf.upload.control.MalformedMultipartException;
import pomf.upload.control.PomfReply;
import pomf.upload.control.Reception;
import pomf.upload.entity.OutputFormat;
import pomf.upload.entity.UploadRejectedException;
import pomf.upload.entity.UploadedFile;

/**
 * How an asynchronous upload ends: nothing of it kept unless published (and that before the client reads the
 * answer), then the answer in the client's format, if any, then the request completed. Each ending is a task the
 * caller runs once, outside its lock, since it writes to the client.
 */
final class UploadEnding {
    private static final Logger LOG = Logger.getLogger(UploadEnding.class.getName());

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final Reception reception;
    private final OutputFormat format;
    private final String client;
    private final Traffic traffic;
    /** Its client's slot, given back when the upload ends. */
    private final Hold hold;

    UploadEnding(
            AsyncContext async,
            HttpServletResponse response,
            Reception reception,
            OutputFormat format,
            String client,
            Traffic traffic) {
        this.async = async;
        this.response = response;
        this.reception = reception;
        this.format = format;
        this.client = client;
        this.traffic = traffic;
        this.hold = Hold.of(async.getRequest());
    }

    Runnable success(List<UploadedFile> files) {
        return () -> {
            reception.discard();
            try {
                Replies.write(response, 200, format, PomfReply.success(format, files));
            } catch (IOException e) {
                LOG.fine(() -> "upload from " + client + " stored, but the answer could not be sent: " + e);
            }
            complete();
        };
    }

    /** A refusal with its status: the client's fault (4xx), the server's (5xx, logged), anything else a 500. */
    Runnable refusal(RuntimeException e) {
        UploadRejectedException refusal;
        if (e instanceof UploadRejectedException rejected) {
            refusal = rejected;
            if (refusal.status() >= 500) {
                LOG.log(Level.WARNING, "upload from " + client + " failed: " + e.getMessage(), e.getCause());
            }
        } else if (e instanceof MalformedMultipartException) {
            refusal = new UploadRejectedException(400, e.getMessage());
        } else {
            LOG.log(Level.SEVERE, "upload from " + client + " failed", e);
            refusal = new UploadRejectedException(500, "Internal server error.");
        }
        return () -> {
            reception.discard();
            try {
                Replies.refuse(response, format, refusal, traffic);
            } catch (IOException | RuntimeException unsent) {
                LOG.fine(() -> "upload from " + client + ": the refusal could not be sent: " + unsent);
            }
            complete();
        };
    }

    /** No answer: the client is gone, or the container ended the request. */
    Runnable silence() {
        return () -> {
            reception.discard();
            complete();
        };
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException alreadyDone) {
            // the container completed the request itself (an error, a closed connection)
        } finally {
            hold.giveBack();
        }
    }
}
