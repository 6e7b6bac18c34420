package pomf.registry.entity;

import java.time.LocalDateTime;

/**
 * What publishing one incoming file gave: its own new stored name, the upload's expiry, and whether its bytes were
 * stored already (under another link).
 */
public record Published(String storedName, String sha1, long size, LocalDateTime expiresAt, boolean duplicate) {}
