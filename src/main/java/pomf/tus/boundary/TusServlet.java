package pomf.tus.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.blocks.control.BlockList;
import pomf.hashlists.control.Md5Demand;
import pomf.metrics.control.Traffic;
import pomf.storage.control.ChunkPool;
import pomf.storage.control.ContentSink;
import pomf.storage.control.StorageExecutors;
import pomf.tus.control.TusUpload;
import pomf.upload.control.PomfReply;
import pomf.upload.control.UploadSettings;
import pomf.upload.entity.OutputFormat;
import pomf.upload.entity.UploadRejectedException;
import pomf.upload.entity.UploadedFile;

/**
 * Resumable uploads, tus 1.0 (https://tus.io/protocols/resumable-upload): the core protocol with the
 * {@code creation}, {@code creation-with-upload}, {@code termination}, {@code checksum} (sha1, sha256) and
 * {@code expiration} extensions. {@code Upload-Metadata} carries {@code filename}, {@code expiry} and {@code max_downloads}, as the Pomf
 * form does. The request that brings the last byte is answered {@code 200} with the Pomf JSON of the file (its
 * {@code url} and {@code delete_url}) and the file's URL in {@code X-File-Url}; every other refusal is a tus one:
 * its status and a line of plain text. {@code X-HTTP-Method-Override} on a POST stands for the method it names, for
 * clients that cannot send PATCH or DELETE (Java's {@code HttpURLConnection}, so tus-java-client). A second PATCH
 * while one is being written is refused (423), unless the first has received nothing for 10 s: then its client has
 * most likely come back on a new connection (a phone changing networks), and the old request is ended for it. A PATCH
 * that receives nothing for {@code pomf.upload.idle-timeout} is ended (408), as a form upload is; its bytes stay.
 */
@WebServlet(
        urlPatterns = {"/api/v1/tus", "/api/v1/tus/*"},
        asyncSupported = true)
public class TusServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(TusServlet.class.getName());
    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration";
    static final String OCTETS = "application/offset+octet-stream";
    /** A PATCH whose client sent nothing for this long gives way to a new one for the same upload. */
    static final long TAKEOVER_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Inject
    TusUploads uploads;

    @Inject
    UploadSettings settings;

    @Inject
    BlockList blocks;

    @Inject
    StorageExecutors executors;

    @Inject
    Traffic traffic;

    @Inject
    ChunkPool chunks;

    /** Whether new sinks compute MD5 (only while a hash list has MD5 entries). */
    @Inject
    Md5Demand md5;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Set<TusPatch> writing = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> watch;

    @Override
    public void init() {
        watch = scheduler.scheduleWithFixedDelay(this::endSilent, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void destroy() {
        if (watch != null) {
            watch.cancel(false);
        }
    }

    /** Watched from now on: a client that stops sending without closing does not hold its upload for long. */
    void writing(TusPatch patch) {
        writing.add(patch);
    }

    private void endSilent() {
        long limit = TimeUnit.SECONDS.toNanos(Math.max(1, settings.idleTimeoutSeconds()));
        writing.removeIf(patch -> {
            if (patch.isOver()) {
                return true;
            }
            if (patch.idleNanos() > limit) {
                patch.abandon();
                return true;
            }
            return false;
        });
    }

    Executor executor() {
        return executors.blocking();
    }

    ContentSink newSink(Path data) throws IOException {
        return new ContentSink(data, executors.hashing(), executors.flushing(), chunks, md5.wanted());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Tus-Resumable", VERSION);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String method = request.getMethod();
        String override = request.getHeader("X-HTTP-Method-Override");
        if (method.equals("POST") && override != null) {
            method = override.trim().toUpperCase(Locale.ROOT); // clients that cannot send PATCH (tus-java-client)
        }
        String id = id(request);
        try {
            if (method.equals("OPTIONS")) {
                options(response);
                return;
            }
            String resumable = request.getHeader("Tus-Resumable");
            if (!VERSION.equals(resumable)) {
                response.setHeader("Tus-Version", VERSION);
                throw new UploadRejectedException(412, "Tus-Resumable: " + VERSION + " is required.");
            }
            if (id == null) {
                if (!method.equals("POST")) {
                    response.setHeader("Allow", "OPTIONS, POST");
                    throw new UploadRejectedException(405, "Create an upload with POST.");
                }
                create(request, response);
                return;
            }
            switch (method) {
                case "HEAD" -> head(response, existing(id));
                case "PATCH" -> patch(request, response, existing(id));
                case "DELETE" -> delete(response, existing(id));
                default -> {
                    response.setHeader("Allow", "OPTIONS, HEAD, PATCH, DELETE");
                    throw new UploadRejectedException(405, "Use HEAD, PATCH or DELETE on an upload.");
                }
            }
        } catch (UploadRejectedException e) {
            refuse(response, e, true);
        }
    }

    private void options(HttpServletResponse response) {
        response.setHeader("Tus-Version", VERSION);
        response.setHeader("Tus-Extension", EXTENSIONS);
        response.setHeader("Tus-Max-Size", Long.toString(uploads.maxSize()));
        response.setHeader("Tus-Checksum-Algorithm", "sha1,sha256");
        response.setStatus(204);
    }

    private void create(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String lengthHeader = request.getHeader("Upload-Length");
        if (lengthHeader == null) {
            throw new UploadRejectedException(400, "Upload-Length is required (deferred lengths are not supported).");
        }
        long length = digits(lengthHeader, "Upload-Length");
        Map<String, String> metadata = metadata(request.getHeader("Upload-Metadata"));
        String client = settings.clientAddress().of(request);
        if (blocks.refuses(client)) {
            throw UploadRejectedException.blocked();
        }
        settings.limiter().ifPresent(limiter -> {
            long wait = limiter.acquire(settings.clientAddress().limitKey(client), System.nanoTime());
            if (wait > 0) {
                throw new UploadRejectedException(429, "Rate limit exceeded.", wait, null);
            }
        });
        boolean withBody = OCTETS.equals(contentType(request)) && request.getContentLengthLong() != 0;
        TusUpload upload = uploads.create(
                length, metadata.get("filename"), metadata.get("expiry"), metadata.get("max_downloads"), client);
        response.setHeader("Location", settings.serviceUrl("/api/v1/tus/" + upload.id()));
        response.setDateHeader("Upload-Expires", upload.expires().toEpochMilli()); // an HTTP date, as Date
        if (withBody) {
            upload.claim();
            startBody(request, upload, 0, true);
        } else if (length == 0) {
            upload.claim();
            answerPatch(null, response, upload, 0, true);
        } else {
            response.setStatus(201);
        }
    }

    private void head(HttpServletResponse response, TusUpload upload) {
        response.setHeader("Upload-Offset", Long.toString(uploads.offset(upload)));
        response.setHeader("Upload-Length", Long.toString(upload.length()));
        response.setDateHeader("Upload-Expires", upload.expires().toEpochMilli()); // an HTTP date, as Date
        response.setStatus(200);
    }

    private void patch(HttpServletRequest request, HttpServletResponse response, TusUpload upload) throws IOException {
        if (blocks.refuses(settings.clientAddress().of(request))) {
            throw UploadRejectedException.blocked(); // blocked since it began: no further byte is stored
        }
        if (!OCTETS.equals(contentType(request))) {
            throw new UploadRejectedException(415, "A PATCH carries Content-Type: " + OCTETS + ".");
        }
        String offsetHeader = request.getHeader("Upload-Offset");
        if (offsetHeader == null) {
            throw new UploadRejectedException(400, "Upload-Offset is required.");
        }
        long offset = digits(offsetHeader, "Upload-Offset");
        if (!upload.claim()) {
            TusUpload.Writer writer = upload.writer();
            if (writer == null || writer.idleNanos() < TAKEOVER_NANOS) {
                throw new UploadRejectedException(423, "Another request is writing this upload.", 1, null);
            }
            writer.abandon(); // its client has been quiet for a while: this request is probably that client again
            if (!upload.claim()) {
                throw new UploadRejectedException(423, "Another request is writing this upload.", 1, null);
            }
        }
        long current = uploads.offset(upload);
        if (offset != current) {
            upload.release();
            response.setHeader("Upload-Offset", Long.toString(current));
            throw new UploadRejectedException(409, "Upload-Offset is " + current + ", not " + offset + ".");
        }
        if (current == upload.length() && request.getContentLengthLong() <= 0) {
            answerPatch(null, response, upload, current, false); // the last PATCH again: finish once more
            return;
        }
        startBody(request, upload, current, false);
    }

    private void startBody(HttpServletRequest request, TusUpload upload, long offset, boolean created)
            throws IOException {
        MessageDigest checksum = null;
        byte[] expected = null;
        String header = request.getHeader("Upload-Checksum");
        try {
            if (header != null) {
                String[] parts = header.trim().split(" ", 2);
                String algorithm =
                        switch (parts[0]) {
                            case "sha1" -> "SHA-1";
                            case "sha256" -> "SHA-256";
                            default -> null;
                        };
                if (algorithm == null || parts.length < 2) {
                    throw new UploadRejectedException(400, "Upload-Checksum takes sha1 or sha256 and a value.");
                }
                try {
                    expected = Base64.getDecoder().decode(parts[1].trim());
                } catch (IllegalArgumentException e) {
                    throw new UploadRejectedException(400, "The Upload-Checksum value is not base64.");
                }
                checksum = MessageDigest.getInstance(algorithm);
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(30L * 60 * 1000);
            new TusPatch(this, upload, async, offset, checksum, expected, created).begin();
        } catch (IOException | RuntimeException e) {
            upload.release();
            if (created) {
                uploads.remove(upload);
            }
            throw e instanceof UploadRejectedException r
                    ? r
                    : new UploadRejectedException(503, "The upload cannot be stored right now.", 5, e);
        } catch (NoSuchAlgorithmException e) {
            upload.release();
            throw new IllegalStateException(e);
        }
    }

    private void delete(HttpServletResponse response, TusUpload upload) {
        if (!upload.claim()) {
            throw new UploadRejectedException(423, "Another request is writing this upload.", 1, null);
        }
        uploads.remove(upload);
        response.setStatus(204);
    }

    /** A body ended well (on the storage pool): the offset, or the published file when it was the last byte. */
    void answerPatch(AsyncContext async, TusUpload upload, long offset, boolean created) {
        answerPatch(async, (HttpServletResponse) async.getResponse(), upload, offset, created);
    }

    private void answerPatch(
            AsyncContext async, HttpServletResponse response, TusUpload upload, long offset, boolean created) {
        try {
            response.setHeader("Upload-Offset", Long.toString(offset));
            if (offset < upload.length()) {
                uploads.renew(upload);
                response.setDateHeader("Upload-Expires", upload.expires().toEpochMilli()); // an HTTP date, as Date
                response.setStatus(created ? 201 : 204);
                return;
            }
            UploadedFile file = uploads.finish(upload);
            response.setHeader("X-File-Url", file.url());
            byte[] body = PomfReply.success(OutputFormat.JSON, List.of(file)).getBytes(StandardCharsets.UTF_8);
            response.setStatus(created ? 201 : 200);
            response.setContentType(OutputFormat.JSON.contentType());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (UploadRejectedException e) {
            refuse(response, e, false);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "resumable upload " + upload.id() + " could not be answered", e);
        } finally {
            upload.release();
            if (async != null) {
                complete(async);
            }
        }
    }

    /** A body refused on its way in (its bytes were dropped): the refusal, and the connection closes. */
    void answerRefusal(AsyncContext async, TusUpload upload, UploadRejectedException e, long offset) {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        response.setHeader("Upload-Offset", Long.toString(offset));
        refuse(response, e, true);
        upload.release();
        complete(async);
    }

    private void refuse(HttpServletResponse response, UploadRejectedException e, boolean close) {
        traffic.refused(e.status());
        if (response.isCommitted()) {
            return;
        }
        try {
            if (e.retryAfterSeconds() > 0) {
                response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            if (close) {
                response.setHeader("Connection", "close"); // what is left of a body is not worth reading
            }
            byte[] body = (e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
            response.setStatus(e.status());
            response.setContentType("text/plain; charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException io) {
            // the client has gone
        }
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // the container ended it (the client went away)
        }
    }

    private TusUpload existing(String id) {
        TusUpload upload = uploads.find(id);
        if (upload == null) {
            throw new UploadRejectedException(404, "No such upload (unknown, finished, deleted or expired).");
        }
        if (upload.expires().isBefore(Instant.now())) {
            throw new UploadRejectedException(410, "This upload has expired.");
        }
        return upload;
    }

    private static String id(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            return null;
        }
        return path.substring(1);
    }

    private static String contentType(HttpServletRequest request) {
        String type = request.getContentType();
        return type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    }

    private static long digits(String value, String header) {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new UploadRejectedException(400, header + " must be a non-negative integer.");
        }
        return Long.parseLong(v);
    }

    /** {@code Upload-Metadata}: comma-separated pairs of a key and its value in base64 (the value may be absent). */
    static Map<String, String> metadata(String header) {
        Map<String, String> pairs = new HashMap<>();
        if (header == null || header.isBlank()) {
            return pairs;
        }
        if (header.length() > 4096) {
            throw new UploadRejectedException(400, "Upload-Metadata is too long.");
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.trim().split(" ", 2);
            if (kv[0].isEmpty()) {
                throw new UploadRejectedException(400, "Upload-Metadata has an empty key.");
            }
            try {
                pairs.put(
                        kv[0],
                        kv.length < 2
                                ? ""
                                : new String(Base64.getDecoder().decode(kv[1].trim()), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new UploadRejectedException(400, "Upload-Metadata values must be base64.");
            }
        }
        return pairs;
    }
}
