package pomf.upload.entity;

import java.time.LocalDateTime;

/**
 * One file of a successful upload, as answered to the client.
 *
 * @param maxDownloads the link's download limit, null when it has none
 */
public record UploadedFile(
        String sha1,
        String originalName,
        String url,
        long size,
        String deleteUrl,
        LocalDateTime expiresAt,
        Integer maxDownloads) {

    /** A file without a download limit. */
    public UploadedFile(
            String sha1, String originalName, String url, long size, String deleteUrl, LocalDateTime expiresAt) {
        this(sha1, originalName, url, size, deleteUrl, expiresAt, null);
    }
}
