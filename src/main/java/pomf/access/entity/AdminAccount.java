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

/** An administrator: a name, a PBKDF2 password hash, and the failed-login state that locks it for a while. */
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

    @Column(name = "locked_until")
    private OffsetDateTime lockedUntil;

    protected AdminAccount() {}

    public AdminAccount(String username, String passwordHash) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
    }

    public boolean lockedAt(OffsetDateTime now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    public void failed(OffsetDateTime lockedUntil) {
        failedLogins++;
        this.lockedUntil = lockedUntil;
    }

    public void succeeded(OffsetDateTime now) {
        failedLogins = 0;
        lockedUntil = null;
        lastLoginAt = now;
    }

    public void passwordHash(String hash) {
        this.passwordHash = hash;
        failedLogins = 0;
        lockedUntil = null;
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

    public OffsetDateTime getLockedUntil() {
        return lockedUntil;
    }
}
