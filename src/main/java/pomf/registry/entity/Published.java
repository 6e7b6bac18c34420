package pomf.registry.entity;

import java.time.LocalDateTime;

/** What publishing one incoming file gave: its stored name (new or existing) and the upload's expiry. */
public record Published(String storedName, String sha1, long size, LocalDateTime expiresAt, boolean duplicate) {}
