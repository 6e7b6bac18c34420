package pomf.storage.control;

import io.minio.Http;
import io.minio.MinioAsyncClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.time.control.Durations;

/**
 * Where the blobs live (issue 16): {@code pomf.storage.kind} is {@code folder} (the default: {@link BlobStore}) or
 * {@code s3} (an S3-compatible bucket: {@link S3Blobs}), with the bucket's endpoint, region, name, addressing and
 * multipart part size. The credentials come from the environment, never from a settings file:
 * {@code POMF_S3_ACCESS_KEY} and {@code POMF_S3_SECRET_KEY}, else {@code AWS_ACCESS_KEY_ID} and
 * {@code AWS_SECRET_ACCESS_KEY}.
 */
@ApplicationScoped
public class S3Settings {
    /** S3's smallest part (every part but the last). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** The largest part here: a part is held in memory while it is sent (S3 would take 5 GiB). */
    public static final long MAX_PART_SIZE = 1L << 30;
    /** How long a completion may take to answer (a store that assembles 100 GiB at 30 MB/s: under an hour). */
    static final Duration LONG_REQUESTS = Duration.ofHours(2);
    /** Requests to the store at once, and connections kept: parts of uploads in flight, answers, sweeps. */
    private static final int MAX_REQUESTS = 128;

    /** The keys, read here only: by the container, or by {@link #read} for a command. */
    static final String KIND = "pomf.storage.kind";

    static final String ENDPOINT = "pomf.storage.s3.endpoint";
    static final String REGION = "pomf.storage.s3.region";
    static final String BUCKET = "pomf.storage.s3.bucket";
    static final String PATH_STYLE = "pomf.storage.s3.path-style";
    static final String PART_SIZE = "pomf.storage.s3.part-size";
    private static final String DEFAULT_REGION = "us-east-1";
    private static final String DEFAULT_PATH_STYLE = "true";
    private static final String DEFAULT_PART_SIZE = "16777216";

    @Inject
    @ConfigProperty(name = KIND, defaultValue = "folder")
    String kind;

    @Inject
    @ConfigProperty(name = ENDPOINT)
    Optional<String> endpoint;

    @Inject
    @ConfigProperty(name = REGION, defaultValue = DEFAULT_REGION)
    String region;

    @Inject
    @ConfigProperty(name = BUCKET)
    Optional<String> bucket;

    @Inject
    @ConfigProperty(name = PATH_STYLE, defaultValue = DEFAULT_PATH_STYLE)
    boolean pathStyle;

    /** Bytes per multipart part, 5 MiB to 1 GiB; memory per upload in flight is at most three parts. */
    @Inject
    @ConfigProperty(name = PART_SIZE, defaultValue = DEFAULT_PART_SIZE)
    long partSize;

    /**
     * Seconds a request to the store may go without progress (connecting, sending, or waiting for bytes) before it
     * fails: an upload then answers 503, an answer being sent is cut, a sweep tries again later.
     */
    @Inject
    @ConfigProperty(name = "pomf.storage.s3.timeout", defaultValue = "30")
    int timeoutSeconds;

    /**
     * How old a staged upload in the bucket (a multipart upload, a {@code tmp/} object) must be before a start's
     * sweep removes it as a crash's leftover: longer than any upload in flight on another origin takes.
     */
    @Inject
    @ConfigProperty(name = "pomf.storage.s3.stale-after", defaultValue = "24h")
    String staleAfter = "24h";

    /**
     * Files larger than this many bytes are answered with a redirect to a presigned URL of the bucket (five minutes),
     * so the store carries their bytes; 0, the default, keeps every answer on the origin.
     */
    @Inject
    @ConfigProperty(name = "pomf.storage.s3.redirect-above", defaultValue = "0")
    long redirectAbove;

    private String accessKey;
    private String secretKey;
    /** Where the credentials are looked up when not given. */
    private Function<String, String> environment = System::getenv;

    /** For CDI: the values come from MicroProfile Config, the credentials from the environment. */
    public S3Settings() {}

    /** Explicit values, without CDI (tests, commands). */
    public S3Settings(
            String endpoint,
            String region,
            String bucket,
            boolean pathStyle,
            long partSize,
            String accessKey,
            String secretKey) {
        this.kind = "s3";
        this.endpoint = Optional.of(endpoint);
        this.region = region;
        this.bucket = Optional.of(bucket);
        this.pathStyle = pathStyle;
        this.partSize = partSize;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.timeoutSeconds = 30;
    }

    /** The same store with another timeout (tests of a stalling store). */
    public S3Settings withTimeout(Duration timeout) {
        S3Settings copy = new S3Settings(endpoint(), region, bucket(), pathStyle, partSize, accessKey, secretKey);
        copy.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
        copy.staleAfter = staleAfter;
        return copy;
    }

    /** {@code pomf.storage.s3.redirect-above}: the size past which answers are redirects to the store; 0 = never. */
    public long redirectAbove() {
        return Math.max(0, redirectAbove);
    }

    /** The same store with answers above {@code bytes} redirected (tests). */
    public S3Settings withRedirectAbove(long bytes) {
        S3Settings copy = withTimeout(timeout());
        copy.redirectAbove = bytes;
        return copy;
    }

    /** {@code pomf.storage.s3.stale-after}, at least a minute. */
    public Duration staleAfter() {
        Duration d = Durations.parse(staleAfter)
                .orElseThrow(() -> new IllegalStateException(
                        "pomf.storage.s3.stale-after must be a duration such as 24h, not " + staleAfter));
        return d.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : d;
    }

    /** How long a request to the store may go without progress ({@code pomf.storage.s3.timeout}). */
    public Duration timeout() {
        return Duration.ofSeconds(Math.max(1, timeoutSeconds));
    }

    /**
     * The bucket's settings from {@code config} (a key to its value, found as MicroProfile Config finds it) and the
     * credentials from {@code environment}, for a command run outside the container (the move command).
     */
    public static S3Settings read(Function<String, Optional<String>> config, Function<String, String> environment) {
        S3Settings settings = new S3Settings();
        settings.kind = "s3";
        settings.endpoint = config.apply(ENDPOINT);
        settings.region = config.apply(REGION).orElse(DEFAULT_REGION);
        settings.bucket = config.apply(BUCKET);
        settings.pathStyle = Boolean.parseBoolean(
                config.apply(PATH_STYLE).orElse(DEFAULT_PATH_STYLE).trim());
        settings.partSize =
                Long.parseLong(config.apply(PART_SIZE).orElse(DEFAULT_PART_SIZE).trim());
        settings.timeoutSeconds = Integer.parseInt(
                config.apply("pomf.storage.s3.timeout").orElse("30").trim());
        settings.environment = environment;
        return settings;
    }

    /** The blobs are in a bucket ({@code pomf.storage.kind=s3}) rather than in the storage folder. */
    public boolean s3() {
        String value = kind.trim();
        if (value.equalsIgnoreCase("s3")) {
            return true;
        }
        if (value.equalsIgnoreCase("folder")) {
            return false;
        }
        throw new IllegalStateException("pomf.storage.kind is folder or s3, not " + kind);
    }

    public String endpoint() {
        return endpoint.orElseThrow(() -> new IllegalStateException("pomf.storage.s3.endpoint is not set"));
    }

    public String region() {
        return region;
    }

    public String bucket() {
        return bucket.orElseThrow(() -> new IllegalStateException("pomf.storage.s3.bucket is not set"));
    }

    public boolean pathStyle() {
        return pathStyle;
    }

    /** The multipart part size, checked against S3's limits. */
    public long partSize() {
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalStateException(
                    "pomf.storage.s3.part-size is between 5 MiB and 1 GiB (in bytes), not " + partSize);
        }
        return partSize;
    }

    /**
     * A client for the bucket on OkHttp's own threads (tests, tools); the service's passes its own with
     * {@link #newClient(ExecutorService)}.
     */
    public MinioAsyncClient newClient() {
        return newClient(null);
    }

    /**
     * A client for the bucket (one per application: its connections are shared); nothing is sent until the first
     * call. Its requests run on {@code threads} (OkHttp's own when null), as many at once as the uploads and answers
     * need: OkHttp's default of 5 requests per host would queue every upload's parts behind four others.
     */
    public MinioAsyncClient newClient(ExecutorService threads) {
        return newClient(threads, timeout());
    }

    /**
     * A client for the requests that answer only when the store has done work in proportion to the object's size (a
     * multipart completion, a server-side copy): they may go without a byte for minutes on a large object, so they
     * wait up to {@link #LONG_REQUESTS} for the answer (connecting and sending keep the short timeout).
     */
    public MinioAsyncClient newLongClient(ExecutorService threads) {
        return newClient(threads, LONG_REQUESTS);
    }

    private MinioAsyncClient newClient(ExecutorService threads, Duration read) {
        Dispatcher dispatcher = threads == null ? new Dispatcher() : new Dispatcher(threads);
        dispatcher.setMaxRequests(MAX_REQUESTS);
        dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
        OkHttpClient http = Http.newDefaultClient()
                .newBuilder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(MAX_REQUESTS, 5, TimeUnit.MINUTES))
                .build();
        MinioAsyncClient client = MinioAsyncClient.builder()
                .endpoint(endpoint())
                .region(region)
                .credentials(
                        credential(accessKey, "POMF_S3_ACCESS_KEY", "AWS_ACCESS_KEY_ID"),
                        credential(secretKey, "POMF_S3_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"))
                .httpClient(http, true)
                .build();
        long millis = timeout().toMillis();
        client.setTimeout(millis, millis, Math.max(millis, read.toMillis()));
        if (pathStyle) {
            client.disableVirtualStyleEndpoint();
        } else {
            client.enableVirtualStyleEndpoint();
        }
        return client;
    }

    private String credential(String given, String name, String fallback) {
        if (given != null) {
            return given;
        }
        String value = environment.apply(name);
        if (value == null || value.isEmpty()) {
            value = environment.apply(fallback);
        }
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("the S3 credentials are missing: set " + name + " (or " + fallback + ")");
        }
        return value;
    }
}
