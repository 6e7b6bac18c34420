package pomf.review.entity;

/** How the review queue is ordered. */
public enum ReviewOrder {
    NEWEST,
    MOST_REPORTED
}
