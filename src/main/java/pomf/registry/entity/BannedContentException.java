package pomf.registry.entity;

import jakarta.ejb.ApplicationException;

/** Content on the ban list reached publication; the transaction is rolled back and the upload refused. */
@ApplicationException(rollback = true)
public class BannedContentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;

    /**
     * @param kind {@code ban} (the content's hash is banned) or {@code hash_list}
     * @param name the hash list's name, or "banned hashes"
     */
    public BannedContentException(String sha256, String kind, String name) {
        super("content " + sha256 + " is refused (" + kind + ": " + name + ")");
        this.kind = kind;
        this.name = name;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }
}
