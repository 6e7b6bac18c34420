package pomf.access.entity;

/** Who does an administrative action and from which address, as the audit trail records it. */
public record Actor(String name, String address) {
    /** API requests authenticated by the shared token carry no principal. */
    public static final String TOKEN = "api-token";
}
