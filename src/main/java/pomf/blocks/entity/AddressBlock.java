package pomf.blocks.entity;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Uploads from an address or range refused, with why, by whom, and until when (null: until removed). Times in UTC. */
@Entity
@Table(name = "address_block")
@NamedQuery(
        name = AddressBlock.ACTIVE,
        query = "select b from AddressBlock b where b.expiresAt is null or b.expiresAt > :now order by b.id desc")
public class AddressBlock {
    public static final String ACTIVE = "AddressBlock.active";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "cidr", nullable = false, length = 50)
    private String cidr;

    @Column(name = "reason", nullable = false, length = 500)
    private String reason;

    @Column(name = "created_by", nullable = false, length = 200)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    @Column(name = "expires_at")
    private LocalDateTime expiresAt;

    protected AddressBlock() {}

    public AddressBlock(
            String cidr, String reason, String createdBy, LocalDateTime createdAt, LocalDateTime expiresAt) {
        this.cidr = cidr;
        this.reason = reason;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public Long getId() {
        return id;
    }

    public String getCidr() {
        return cidr;
    }

    public String getReason() {
        return reason;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    public LocalDateTime getExpiresAt() {
        return expiresAt;
    }

    public JsonObject toJson() {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("id", id)
                .add("cidr", cidr)
                .add("reason", reason)
                .add("createdBy", createdBy)
                .add("createdAt", createdAt.toInstant(ZoneOffset.UTC).toString());
        if (expiresAt == null) {
            json.addNull("expiresAt");
        } else {
            json.add("expiresAt", expiresAt.toInstant(ZoneOffset.UTC).toString());
        }
        return json.build();
    }
}
