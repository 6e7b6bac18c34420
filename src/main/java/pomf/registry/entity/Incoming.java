package pomf.registry.entity;

import java.time.LocalDateTime;
import pomf.storage.entity.StagedBlob;

/** A received, hashed and accepted file waiting to be published: its temporary file and what the row needs. */
public record Incoming(
        StagedBlob staged,
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
