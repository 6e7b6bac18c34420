package pomf.registry.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.LocalDateTime;

/**
 * One link: a random stored name serving one content. Every upload has its own (since V7); the bytes are stored once
 * under their SHA-256 and shared by every link of the same content, so the blob goes with the last of them. A link
 * made before V7 may still be shared by several uploads, and serves until the last of them goes.
 */
@Entity
@Table(name = "stored_file")
@NamedQuery(name = StoredFile.BY_NAME, query = "select f from StoredFile f where f.name = :name")
@NamedQuery(name = StoredFile.COUNT_BY_SHA256, query = "select count(f) from StoredFile f where f.sha256 = :sha256")
@NamedQuery(
        name = StoredFile.UNCLAIMED,
        query = "select f from StoredFile f where not exists (select u from Upload u where u.file = f)")
public class StoredFile {
    public static final String BY_NAME = "StoredFile.byName";
    public static final String COUNT_BY_SHA256 = "StoredFile.countBySha256";
    public static final String UNCLAIMED = "StoredFile.unclaimed";

    @Id
    @SequenceGenerator(name = "stored_file_ids", sequenceName = "stored_file_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "stored_file_ids")
    private Long id;

    @Column(name = "name", nullable = false, unique = true, length = 40)
    private String name;

    @Column(name = "sha1", nullable = false, length = 40)
    private String sha1;

    @Column(name = "sha256", nullable = false, length = 64)
    private String sha256;

    @Column(name = "size", nullable = false)
    private long size;

    @Column(name = "content_type", nullable = false)
    private String contentType;

    /** UTC; EclipseLink 4 stores {@code Instant} as bytes, so local date-times in UTC are used throughout. */
    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    /** Whether its content is banned: the link stays, answered 451 (V8); set and cleared by {@code Registry}. */
    /** MD5 of the bytes (for hash lists that have only MD5); null for links stored before it was computed. */
    @Column(name = "md5", length = 32)
    private String md5;

    /** How many downloads the link allows; null: no limit. Counted in the column {@code downloads} by SQL only. */
    @Column(name = "max_downloads")
    private Integer maxDownloads;

    @Column(name = "banned", nullable = false)
    private boolean banned;

    protected StoredFile() {}

    public StoredFile(String name, String sha1, String sha256, long size, String contentType, LocalDateTime createdAt) {
        this.name = name;
        this.sha1 = sha1;
        this.sha256 = sha256;
        this.size = size;
        this.contentType = contentType;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getSha1() {
        return sha1;
    }

    public String getSha256() {
        return sha256;
    }

    /** The link's download limit, null when it has none. */
    public Integer getMaxDownloads() {
        return maxDownloads;
    }

    public String getMd5() {
        return md5;
    }

    /** Notes the MD5 of a new link's bytes. */
    public void md5(String md5) {
        this.md5 = md5;
    }

    /** Gives a new link a download limit (null: none). */
    public void limitDownloads(Integer maxDownloads) {
        this.maxDownloads = maxDownloads;
    }

    public boolean isBanned() {
        return banned;
    }

    public long getSize() {
        return size;
    }

    public String getContentType() {
        return contentType;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }
}
