package pomf.registry.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/** One upload: who sent which content under which name, its secret deletion token (hashed) and expiry. */
@Entity
@Table(name = "upload")
@NamedQuery(
        name = Upload.BY_TOKEN_HASH,
        query = "select u from Upload u join fetch u.file where u.deleteTokenHash = :hash")
@NamedQuery(name = Upload.COUNT_FOR_FILE, query = "select count(u) from Upload u where u.file = :file")
@NamedQuery(
        name = Upload.EXPIRED,
        query =
                "select u from Upload u join fetch u.file where u.expiresAt is not null and u.expiresAt <= :now order by u.expiresAt")
public class Upload {
    public static final String BY_TOKEN_HASH = "Upload.byTokenHash";
    public static final String COUNT_FOR_FILE = "Upload.countForFile";
    public static final String EXPIRED = "Upload.expired";

    @Id
    @SequenceGenerator(name = "upload_ids", sequenceName = "upload_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "upload_ids")
    private Long id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "file_id", nullable = false)
    private StoredFile file;

    @Column(name = "original_name", nullable = false, length = 1024)
    private String originalName;

    @Column(name = "delete_token_hash", nullable = false, unique = true, length = 64)
    private String deleteTokenHash;

    @Column(name = "uploader_address", length = 64)
    private String uploaderAddress;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    @Column(name = "expires_at")
    private LocalDateTime expiresAt;

    protected Upload() {}

    public Upload(
            StoredFile file,
            String originalName,
            String deleteTokenHash,
            String uploaderAddress,
            LocalDateTime createdAt,
            LocalDateTime expiresAt) {
        this.file = file;
        this.originalName = originalName;
        this.deleteTokenHash = deleteTokenHash;
        this.uploaderAddress = uploaderAddress;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public Long getId() {
        return id;
    }

    public StoredFile getFile() {
        return file;
    }

    public String getOriginalName() {
        return originalName;
    }

    public String getUploaderAddress() {
        return uploaderAddress;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    /** A new expiry from its owner (the deletion token's holder); {@code null} keeps it until deleted. */
    public void expireAt(LocalDateTime expiresAt) {
        this.expiresAt = expiresAt;
    }

    public LocalDateTime getExpiresAt() {
        return expiresAt;
    }
}
