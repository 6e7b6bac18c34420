package pomf.registry.entity;

import java.nio.file.Path;
import java.time.LocalDateTime;

/** A received, hashed and accepted file waiting to be published: its temporary file and what the row needs. */
public record Incoming(
        Path temp,
        String sha1,
        String sha256,
        long size,
        String contentType,
        String originalName,
        String deleteTokenHash,
        String uploaderAddress,
        LocalDateTime expiresAt,
        Integer maxDownloads,
        String md5) {}
