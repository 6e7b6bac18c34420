package pomf.access.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.upload.control.ClientAddress;
import pomf.upload.control.RateLimiter;

/** The administrator login's settings: hashing cost, lockout, per-address rate, session lifetime, API token. */
@ApplicationScoped
public class AccessSettings {

    // OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about 0.3 s of one core here, paid once per login.
    @Inject
    @ConfigProperty(name = "pomf.admin.pbkdf2-iterations", defaultValue = "600000")
    int iterations;

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
    @ConfigProperty(name = "pomf.trusted-proxies")
    Optional<String> trustedProxies;

    private PasswordHashes hashes;
    private Lockout lockout;
    private RateLimiter loginRate;
    private ClientAddress clientAddress;

    @PostConstruct
    void init() {
        hashes = new PasswordHashes(iterations);
        lockout = new Lockout(freeFailures, Duration.ofSeconds(30), Duration.ofSeconds(lockoutMaxSeconds));
        loginRate = new RateLimiter(Math.max(1, loginsPerMinute), Math.max(1, loginsPerMinute));
        clientAddress =
                new ClientAddress(Arrays.stream(trustedProxies.orElse("").split("[,\\s]+"))
                        .filter(s -> !s.isBlank())
                        .toList());
    }

    public PasswordHashes hashes() {
        return hashes;
    }

    public Lockout lockout() {
        return lockout;
    }

    /** Login attempts per client address: checked before any hashing, so a flood cannot burn the CPU. */
    public RateLimiter loginRate() {
        return loginRate;
    }

    public ClientAddress clientAddress() {
        return clientAddress;
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
