package pomf.access.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** An administrator: a name, a PBKDF2 password hash, its credentials version, and its failed logins since the last. */
@Entity
@Table(name = "admin_account")
@NamedQuery(name = AdminAccount.BY_USERNAME, query = "select a from AdminAccount a where a.username = :username")
@NamedQuery(name = AdminAccount.COUNT, query = "select count(a) from AdminAccount a")
@NamedQuery(name = AdminAccount.ALL, query = "select a from AdminAccount a order by a.username")
public class AdminAccount {
    public static final String BY_USERNAME = "AdminAccount.byUsername";
    public static final String COUNT = "AdminAccount.count";
    public static final String ALL = "AdminAccount.all";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "username", nullable = false, unique = true)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "last_login_at")
    private OffsetDateTime lastLoginAt;

    @Column(name = "failed_logins", nullable = false)
    private int failedLogins;

    /** One more at each password change: sessions opened before it end (V6__admin_credentials_version.sql). */
    @Column(name = "credentials_version", nullable = false)
    private int credentialsVersion;

    protected AdminAccount() {}

    public AdminAccount(String username, String passwordHash) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    /** A wrong password: counted, for the accounts page (the lock is per client: LoginFailures). */
    public void failed() {
        failedLogins++;
    }

    public void succeeded(OffsetDateTime now) {
        failedLogins = 0;
        lastLoginAt = now;
    }

    /** A new password: the sessions opened with the old one end. */
    public void passwordChanged(String hash) {
        this.passwordHash = hash;
        failedLogins = 0;
        credentialsVersion++;
    }

    /** The same password, hashed again with stronger settings: nothing else changes. */
    public void rehashed(String hash) {
        this.passwordHash = hash;
    }

    public int getCredentialsVersion() {
        return credentialsVersion;
    }

    public Long getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public OffsetDateTime getLastLoginAt() {
        return lastLoginAt;
    }

    public int getFailedLogins() {
        return failedLogins;
    }
}
