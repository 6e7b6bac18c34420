package pomf.tus.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.hashlists.control.Md5Demand;
import pomf.names.control.FileNames;
import pomf.storage.control.BlobStore;
import pomf.storage.control.ContentSink;
import pomf.time.control.Durations;
import pomf.tus.control.TusUpload;
import pomf.upload.boundary.Publisher;
import pomf.upload.control.ContentTypes;
import pomf.upload.control.DownloadLimit;
import pomf.upload.control.Expiry;
import pomf.upload.control.Receiver;
import pomf.upload.control.UploadSettings;
import pomf.upload.entity.UploadRejectedException;
import pomf.upload.entity.UploadedFile;

/**
 * The resumable uploads that have not ended, kept in {@code <storage>/tus} (the blob store's file system, so that
 * a finished one is moved into place, not copied): per upload a data file, whose size is the offset, and a small
 * properties file with what its creation said. Both survive a restart: a client that resumes after the service was
 * killed continues from the last byte on disk. The hashes are computed on the way while the service runs (the
 * upload's {@link ContentSink}, kept between requests); after a restart, or once a request's bytes were dropped,
 * they are computed when the last byte has landed by reading the file once (about 1.5 s per GiB on two cores), which
 * is what makes any offset safe to resume from.
 */
@ApplicationScoped
public class TusUploads {
    private static final Logger LOG = Logger.getLogger(TusUploads.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{32}");
    private static final int HEAD_BYTES = 16 * 1024;

    @Inject
    Md5Demand md5Demand;

    @Inject
    BlobStore blobs;

    @Inject
    UploadSettings settings;

    @Inject
    Publisher publisher;

    @Inject
    @ConfigProperty(name = "pomf.tus.resume-for", defaultValue = "24h")
    String resumeFor;

    @Inject
    @ConfigProperty(name = "pomf.tus.max-unfinished", defaultValue = "10")
    int maxUnfinished;

    /** Bytes (declared lengths) of one address's unfinished uploads; 0: twice the upload size limit. */
    @Inject
    @ConfigProperty(name = "pomf.tus.max-unfinished-bytes", defaultValue = "0")
    long maxUnfinishedBytes;

    private final Map<String, TusUpload> open = new ConcurrentHashMap<>();
    private Path folder;
    private Duration window;

    @PostConstruct
    void load() {
        window = Durations.parse(resumeFor)
                .orElseThrow(() -> new IllegalStateException(
                        "pomf.tus.resume-for must be a duration such as 24h, not " + resumeFor));
        folder = blobs.localFolder().resolve("tus");
        try {
            Files.createDirectories(folder);
            try (var files = Files.list(folder)) {
                for (Path info :
                        files.filter(p -> p.toString().endsWith(".info")).toList()) {
                    TusUpload upload = read(info);
                    if (upload != null) {
                        open.put(upload.id(), upload);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the resumable uploads' folder " + folder + " cannot be read", e);
        }
    }

    /** How long an unfinished upload may be resumed after its creation. */
    public Duration window() {
        return window;
    }

    public long maxSize() {
        return settings.maxSize();
    }

    /** Starts an upload of {@code length} bytes for {@code address}, within the per-address caps. */
    public TusUpload create(long length, String filename, String expiry, String maxDownloads, String address) {
        if (length > settings.maxSize()) {
            throw UploadRejectedException.tooLarge(settings.maxSize());
        }
        String name = filename == null || filename.isBlank() ? "upload" : FileNames.originalName(filename);
        if (!settings.policy().acceptsName(name)) {
            throw UploadRejectedException.notAllowed();
        }
        Expiry.parse(expiry); // refused now (400) rather than after the last byte
        DownloadLimit.parse(maxDownloads);
        long byteCap = maxUnfinishedBytes > 0 ? maxUnfinishedBytes : 2 * settings.maxSize();
        synchronized (open) {
            List<TusUpload> mine = open.values().stream()
                    .filter(u -> u.address().equals(address))
                    .toList();
            long reserved = mine.stream().mapToLong(TusUpload::length).sum();
            if (mine.size() >= maxUnfinished || reserved + length > byteCap) {
                throw new UploadRejectedException(
                        429,
                        "Too many unfinished uploads from your address (at most " + maxUnfinished + ", " + byteCap
                                + " bytes in all): finish or delete one first.",
                        60,
                        null);
            }
            byte[] random = new byte[24];
            RANDOM.nextBytes(random);
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            TusUpload upload = new TusUpload(
                    id,
                    length,
                    name,
                    expiry,
                    maxDownloads,
                    address,
                    Instant.now().plus(window),
                    folder);
            try {
                Files.createFile(upload.data());
                write(upload);
            } catch (IOException e) {
                remove(upload);
                throw new UploadRejectedException(503, "The upload cannot be stored right now.", 5, e);
            }
            open.put(id, upload);
            return upload;
        }
    }

    /** The unfinished upload {@code id}, or null: unknown, ended, or past its window. */
    public TusUpload find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return null;
        }
        return open.get(id);
    }

    /** Bytes received so far. */
    public long offset(TusUpload upload) {
        TusUpload.Writer writer = upload.writer();
        long received = writer == null ? -1 : writer.received();
        if (received >= 0) {
            return received;
        }
        try {
            return Files.size(upload.data());
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * A request brought bytes: the upload's window starts again (a huge file on a slow link may take longer than one
     * window, and is not abandoned while it comes), on disk too. Rewritten at most every hundredth of the window
     * (a minute at most), so a stream of small requests does not rewrite the description each time.
     */
    public void renew(TusUpload upload) {
        Instant next = Instant.now().plus(window);
        Duration step = window.dividedBy(100);
        if (step.compareTo(Duration.ofMinutes(1)) > 0) {
            step = Duration.ofMinutes(1);
        }
        Instant before = upload.expires();
        if (next.isBefore(before.plus(step))) {
            return;
        }
        upload.expires(next);
        try {
            write(upload);
        } catch (IOException e) {
            upload.expires(before);
            LOG.log(Level.WARNING, "the window of resumable upload " + upload.id() + " could not be renewed", e);
        }
    }

    /** Forgets an upload and removes its bytes (termination, expiry, a refusal at the end). */
    public void remove(TusUpload upload) {
        open.remove(upload.id(), upload);
        upload.dropSink();
        try {
            Files.deleteIfExists(upload.info());
            Files.deleteIfExists(upload.data());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "resumable upload " + upload.id() + " could not be removed", e);
        }
    }

    /** Removes every upload past its window that no PATCH holds; how many went. */
    public int sweep(Instant now) {
        int removed = 0;
        for (TusUpload upload : open.values()) {
            if (upload.expires().isBefore(now) && upload.claim()) {
                remove(upload);
                removed++;
            }
        }
        return removed;
    }

    /**
     * The last byte has landed: the file is checked as a Pomf upload is (its type, the configured ban list),
     * hashed, and published through the same path (dedup, stored name, expiry, deletion link, records). Whatever
     * the outcome but a registry outage, the upload is over and its bytes are gone from here.
     */
    public UploadedFile finish(TusUpload upload) {
        boolean over = true;
        try {
            Receiver.ReceivedFile file = received(upload);
            List<UploadedFile> published = publisher.publish(
                    Receiver.Received.of(file, upload.expiry(), upload.maxDownloads()), upload.address());
            return published.get(0);
        } catch (UploadRejectedException e) {
            over = e.status() != 503; // the registry is down: the client may send its last PATCH again
            throw e;
        } finally {
            if (over) {
                remove(upload);
            }
        }
    }

    private Receiver.ReceivedFile received(TusUpload upload) {
        ContentSink sink = upload.sink();
        if (sink != null && sink.size() == upload.length()) {
            try {
                ContentSink.Digest digest = sink.finish();
                upload.dropSink();
                byte[] head;
                try (InputStream in = Files.newInputStream(upload.data())) {
                    head = in.readNBytes(HEAD_BYTES);
                }
                return checked(upload, head, digest);
            } catch (IOException e) {
                throw new UploadRejectedException(503, "The upload cannot be read back right now.", 5, e);
            }
        }
        upload.dropSink();
        try (FileChannel in = FileChannel.open(upload.data(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            MessageDigest md5 = md5Demand.wanted() ? MessageDigest.getInstance("MD5") : null;
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            byte[] head = null;
            long size = 0;
            while (in.read(buffer) >= 0) {
                buffer.flip();
                if (head == null) {
                    head = Arrays.copyOf(buffer.array(), Math.min(buffer.limit(), HEAD_BYTES));
                }
                size += buffer.limit();
                sha1.update(buffer.array(), 0, buffer.limit());
                if (md5 != null) {
                    md5.update(buffer.array(), 0, buffer.limit());
                }
                sha256.update(buffer.array(), 0, buffer.limit());
                buffer.clear();
            }
            in.force(false); // durable before it is published, as a form upload's file is
            return checked(
                    upload,
                    head == null ? new byte[0] : head,
                    new ContentSink.Digest(
                            HexFormat.of().formatHex(sha1.digest()),
                            HexFormat.of().formatHex(sha256.digest()),
                            size,
                            md5 == null ? null : HexFormat.of().formatHex(md5.digest())));
        } catch (IOException e) {
            throw new UploadRejectedException(503, "The upload cannot be read back right now.", 5, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The checks a form upload gets once its bytes are in: the detected type, the configured ban list. */
    private Receiver.ReceivedFile checked(TusUpload upload, byte[] head, ContentSink.Digest digest) {
        String type = ContentTypes.detect(head);
        if (!settings.policy().acceptsType(ContentTypes.namesOf(type))) {
            throw UploadRejectedException.notAllowed();
        }
        if (settings.bannedByConfiguration(digest.sha1(), digest.sha256())) {
            throw UploadRejectedException.blacklisted();
        }
        return new Receiver.ReceivedFile(blobs.stage(upload.data()), upload.filename(), digest, type);
    }

    private void write(TusUpload upload) throws IOException {
        Properties p = new Properties();
        p.setProperty("length", Long.toString(upload.length()));
        p.setProperty("filename", upload.filename());
        if (upload.expiry() != null) {
            p.setProperty("expiry", upload.expiry());
        }
        if (upload.maxDownloads() != null) {
            p.setProperty("max_downloads", upload.maxDownloads());
        }
        p.setProperty("address", upload.address());
        p.setProperty("expires", upload.expires().toString());
        Path temp = folder.resolve(upload.id() + ".info.new");
        try (OutputStream out = Files.newOutputStream(temp)) {
            p.store(out, null);
        }
        try (FileChannel c = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(temp, upload.info(), StandardCopyOption.ATOMIC_MOVE);
    }

    private TusUpload read(Path info) {
        String id = info.getFileName().toString().replaceFirst("\\.info$", "");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(info)) {
            p.load(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            TusUpload upload = new TusUpload(
                    id,
                    Long.parseLong(p.getProperty("length")),
                    p.getProperty("filename"),
                    p.getProperty("expiry"),
                    p.getProperty("max_downloads"),
                    p.getProperty("address"),
                    Instant.parse(p.getProperty("expires")),
                    folder);
            if (!ID.matcher(id).matches() || !Files.exists(upload.data())) {
                Files.deleteIfExists(info);
                return null;
            }
            return upload;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "resumable upload state " + info + " is unreadable: removed", e);
            try {
                Files.deleteIfExists(info);
                Files.deleteIfExists(info.resolveSibling(id + ".bin"));
            } catch (IOException ignored) {
                // the sweep of a later start tries again
            }
            return null;
        }
    }
}
