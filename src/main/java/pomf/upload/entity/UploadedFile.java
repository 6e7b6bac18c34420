package pomf.upload.entity;

import java.time.LocalDateTime;

/** One file of a successful upload, as answered to the client. */
public record UploadedFile(
        String sha1, String originalName, String url, long size, String deleteUrl, LocalDateTime expiresAt) {}
