package pomf.http.entity;

import java.time.format.DateTimeFormatter;

/**
 * Times in the origin's feed of takedowns ({@code /api/v1/takedowns}, read by every edge): UTC, to the microsecond,
 * fixed width so that they order as text.
 */
public final class FeedTime {
    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private FeedTime() {}
}
