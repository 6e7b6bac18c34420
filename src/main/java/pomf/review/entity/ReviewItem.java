package pomf.review.entity;

import java.time.LocalDateTime;

/**
 * One item of the review queue ({@code review_item}).
 *
 * @param reports open items of the same link (how often it is reported, for "most reported")
 */
public record ReviewItem(
        long id,
        String storedName,
        String sha256,
        String source,
        String category,
        String reason,
        String contact,
        LocalDateTime createdAt,
        LocalDateTime resolvedAt,
        String resolvedBy,
        String resolution,
        long reports) {}
