package pomf.access.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.http.control.ClientAddress;
import pomf.http.control.HttpSettings;
import pomf.http.control.RateLimiter;

/**
 * The administrator login's settings: hashing cost and concurrency, lockout, per-address rate, session lifetime,
 * API token.
 */
@ApplicationScoped
public class AccessSettings {

    // OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.3 s of one core here, paid once per login.
    @Inject
    @ConfigProperty(name = "pomf.admin.pbkdf2-iterations", defaultValue = "600000")
    int iterations;

    // 0: one per processor (a hash keeps a core busy throughout).
    @Inject
    @ConfigProperty(name = "pomf.admin.hash-concurrency", defaultValue = "0")
    int hashConcurrency;

    @Inject
    @ConfigProperty(name = "pomf.admin.lockout.free-failures", defaultValue = "5")
    int freeFailures;

    @Inject
    @ConfigProperty(name = "pomf.admin.lockout.max-seconds", defaultValue = "900")
    int lockoutMaxSeconds;

    @Inject
    @ConfigProperty(name = "pomf.admin.login-rate", defaultValue = "10")
    int loginsPerMinute;

    @Inject
    @ConfigProperty(name = "pomf.admin.session-minutes", defaultValue = "30")
    int sessionMinutes;

    @Inject
    @ConfigProperty(name = "pomf.admin.session-max-hours", defaultValue = "12")
    int sessionMaxHours;

    @Inject
    @ConfigProperty(name = "pomf.api.token")
    Optional<String> apiToken;

    @Inject
    HttpSettings http;

    private PasswordHashes hashes;
    private HashingSlots hashing;
    private LoginFailures loginFailures;
    private RateLimiter loginRate;

    @PostConstruct
    void init() {
        hashes = new PasswordHashes(iterations);
        hashing = new HashingSlots(
                hashConcurrency > 0 ? hashConcurrency : Runtime.getRuntime().availableProcessors());
        Duration longest = Duration.ofSeconds(Math.max(1, lockoutMaxSeconds));
        loginFailures = new LoginFailures(new Lockout(freeFailures, Duration.ofSeconds(30), longest), longest);
        loginRate = new RateLimiter(Math.max(1, loginsPerMinute), Math.max(1, loginsPerMinute));
    }

    public PasswordHashes hashes() {
        return hashes;
    }

    /** Every password hash is computed in one of these, so logins cannot take more than this many cores. */
    public HashingSlots hashing() {
        return hashing;
    }

    /** Failed logins per client and name, and their locks: checked before any hashing. */
    public LoginFailures loginFailures() {
        return loginFailures;
    }

    /** Login attempts per client ({@link ClientAddress#limitKey}): checked before any hashing. */
    public RateLimiter loginRate() {
        return loginRate;
    }

    public ClientAddress clientAddress() {
        return http.clientAddress();
    }

    public int sessionSeconds() {
        return Math.max(1, sessionMinutes) * 60;
    }

    public Duration sessionMaxAge() {
        return Duration.ofHours(Math.max(1, sessionMaxHours));
    }

    /** The API token, when one is configured and not blank. */
    public Optional<String> apiToken() {
        return apiToken.filter(t -> !t.isBlank());
    }
}
