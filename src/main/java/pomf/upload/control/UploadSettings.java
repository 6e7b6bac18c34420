package pomf.upload.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.http.control.ClientAddress;
import pomf.http.control.HttpSettings;
import pomf.http.control.RateLimiter;
import pomf.names.control.NameSettings;
import pomf.time.control.Durations;

/** The uploader's configuration ({@code pomf.upload.*} and the public URLs), read once. */
@ApplicationScoped
public class UploadSettings {
    static final String POMF_BLOCKED_EXTENSIONS = "exe,scr,com,vbs,bat,cmd,htm,html,jar,msi,apk,phtml,svg";
    static final String POMF_BLOCKED_TYPES = "application/msword,text/html,application/x-dosexec,application/java,"
            + "application/java-archive,application/x-executable,application/x-mach-binary,image/svg+xml,"
            + "application/vnd.microsoft.portable-executable,application/x-msdownload,application/x-sharedlib";

    @Inject
    HttpSettings http;

    @Inject
    NameSettings names;

    @Inject
    @ConfigProperty(name = "pomf.files-url")
    Optional<String> filesUrl;

    @Inject
    @ConfigProperty(name = "pomf.upload.relative-urls", defaultValue = "false")
    boolean relativeUrls;

    @Inject
    @ConfigProperty(name = "pomf.upload.max-size", defaultValue = "1073741824")
    long maxSize;

    @Inject
    @ConfigProperty(name = "pomf.upload.idle-timeout", defaultValue = "60")
    int idleTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "pomf.upload.max-request-size", defaultValue = "0")
    long maxRequestSize;

    @Inject
    @ConfigProperty(name = "pomf.upload.max-files", defaultValue = "100")
    int maxFiles;

    @Inject
    @ConfigProperty(name = "pomf.upload.filter-mode", defaultValue = "block")
    String filterMode;

    @Inject
    @ConfigProperty(name = "pomf.upload.blocked-extensions", defaultValue = POMF_BLOCKED_EXTENSIONS)
    String blockedExtensions;

    @Inject
    @ConfigProperty(name = "pomf.upload.blocked-types", defaultValue = POMF_BLOCKED_TYPES)
    String blockedTypes;

    @Inject
    @ConfigProperty(name = "pomf.upload.allowed-extensions")
    Optional<String> allowedExtensions;

    @Inject
    @ConfigProperty(name = "pomf.upload.allowed-types")
    Optional<String> allowedTypes;

    @Inject
    @ConfigProperty(name = "pomf.upload.banned-hashes")
    Optional<String> bannedHashes;

    @Inject
    @ConfigProperty(name = "pomf.upload.default-expiry")
    Optional<String> defaultExpiry;

    @Inject
    @ConfigProperty(name = "pomf.upload.max-expiry", defaultValue = "0")
    String maxExpiry;

    /** Retention by size ({@link RetentionCurve}): what a file of the size limit is kept; with max, turns it on. */
    @Inject
    @ConfigProperty(name = "pomf.upload.retention.min")
    Optional<String> retentionMin;

    /** What an empty file is kept under the retention curve. */
    @Inject
    @ConfigProperty(name = "pomf.upload.retention.max")
    Optional<String> retentionMax;

    @Inject
    @ConfigProperty(name = "pomf.upload.rate-limit", defaultValue = "0")
    int rateLimit;

    @Inject
    @ConfigProperty(name = "pomf.upload.rate-burst", defaultValue = "10")
    int rateBurst;

    /** The upload page sends files above this size with tus (resumable), in chunks of at most {@link #pageChunk}. */
    @Inject
    @ConfigProperty(name = "pomf.upload.page.resumable-above", defaultValue = "67108864")
    long pageResumableAbove;

    /** Under Cloudflare's free plan's 100 MB cap on a request body, with room to spare. */
    @Inject
    @ConfigProperty(name = "pomf.upload.page.chunk", defaultValue = "52428800")
    long pageChunk;

    private UploadPolicy policy;
    private Set<String> banned;
    private RateLimiter limiter;
    private ClientAddress clientAddress;
    private Duration expiryCap;
    private RetentionCurve retention;
    private String filesBase;

    @PostConstruct
    void read() {
        UploadPolicy.Mode mode = UploadPolicy.mode(filterMode);
        policy = mode == UploadPolicy.Mode.BLOCK
                ? new UploadPolicy(mode, list(blockedExtensions), list(blockedTypes))
                : new UploadPolicy(mode, list(allowedExtensions.orElse("")), list(allowedTypes.orElse("")));
        banned = list(bannedHashes.orElse("")).stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        limiter = rateLimit > 0 ? new RateLimiter(rateLimit, rateBurst) : null;
        clientAddress = http.clientAddress();
        expiryCap = Durations.parse(maxExpiry).orElse(Duration.ZERO);
        retention = retention(retentionMin.filter(v -> !v.isBlank()), retentionMax.filter(v -> !v.isBlank()), maxSize);
        String base = filesUrl.filter(s -> !s.isBlank()).orElse(http.serviceUrl("/f/"));
        filesBase = base.endsWith("/") ? base : base + "/";
    }

    public long pageResumableAbove() {
        return pageResumableAbove;
    }

    public long pageChunk() {
        return pageChunk;
    }

    /** Random characters in a new stored name (its extension aside). */
    public int nameLength() {
        return names.nameLength();
    }

    public UploadPolicy policy() {
        return policy;
    }

    public boolean bannedByConfiguration(String sha1, String sha256) {
        return banned.contains(sha1) || banned.contains(sha256);
    }

    public Optional<RateLimiter> limiter() {
        return Optional.ofNullable(limiter);
    }

    public ClientAddress clientAddress() {
        return clientAddress;
    }

    public long maxSize() {
        return maxSize;
    }

    /** Seconds an upload (a form post, or a tus PATCH) may receive nothing before it is ended with 408. */
    public int idleTimeoutSeconds() {
        return idleTimeoutSeconds;
    }

    /** Several files of the maximum size are refused by the per-file rule; this bounds one request. */
    public long maxRequestSize() {
        return maxRequestSize > 0 ? maxRequestSize : maxSize + 1024 * 1024;
    }

    public int maxFiles() {
        return maxFiles;
    }

    public String defaultExpiry() {
        return defaultExpiry.orElse("");
    }

    public Duration expiryCap() {
        return expiryCap;
    }

    /**
     * The longest a file of {@code size} bytes may be kept: the retention curve's lifetime for it, within {@code
     * pomf.upload.max-expiry}; zero when nothing limits it.
     */
    public Duration expiryCap(long size) {
        if (retention == null) {
            return expiryCap;
        }
        Duration curve = retention.lifetime(size);
        return expiryCap.isZero() || curve.compareTo(expiryCap) < 0 ? curve : expiryCap;
    }

    /** Retention by size, when {@code pomf.upload.retention.min} and {@code .max} are set. */
    public Optional<RetentionCurve> retention() {
        return Optional.ofNullable(retention);
    }

    static RetentionCurve retention(Optional<String> min, Optional<String> max, long maxSize) {
        if (min.isEmpty() && max.isEmpty()) {
            return null;
        }
        if (min.isEmpty() || max.isEmpty()) {
            throw new IllegalArgumentException(
                    "pomf.upload.retention.min and pomf.upload.retention.max go together (e.g. 30d and 365d)");
        }
        try {
            return new RetentionCurve(
                    Durations.parse(min.get()).orElseThrow(),
                    Durations.parse(max.get()).orElseThrow(),
                    maxSize);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "pomf.upload.retention.min and max must be durations such as 30d and 365d, not " + min.get()
                            + " and " + max.get(),
                    e);
        }
    }

    public String fileUrl(String storedName) {
        return relativeUrls ? storedName : filesBase + storedName;
    }

    public String serviceUrl(String path) {
        return http.serviceUrl(path);
    }

    static List<String> list(String csv) {
        return Arrays.stream(csv.split("[,\\s]+"))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
