package pomf.registry.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** A content hash (SHA-1 or SHA-256 hex) refused at upload; configuration can list more. */
@Entity
@Table(name = "banned_hash")
public class BannedHash {
    @Id
    @Column(name = "hash", length = 64)
    private String hash;

    @Column(name = "reason", length = 1024)
    private String reason;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    protected BannedHash() {}

    public BannedHash(String hash, String reason, LocalDateTime createdAt) {
        this.hash = hash;
        this.reason = reason;
        this.createdAt = createdAt;
    }

    public String getHash() {
        return hash;
    }

    public String getReason() {
        return reason;
    }
}
