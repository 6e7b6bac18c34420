package pomf.review.entity;

import java.util.Optional;

/** How the review queue is ordered, and the word the API and the moderation page use for each order. */
public enum ReviewOrder {
    NEWEST("newest"),
    MOST_REPORTED("most");

    private final String word;

    ReviewOrder(String word) {
        this.word = word;
    }

    /** The order's word in {@code sort=} and on the page. */
    public String word() {
        return word;
    }

    /** The order named by {@code word}; no word is newest first; an unknown word is empty. */
    public static Optional<ReviewOrder> named(String word) {
        if (word == null) {
            return Optional.of(NEWEST);
        }
        for (ReviewOrder order : values()) {
            if (order.word.equals(word)) {
                return Optional.of(order);
            }
        }
        return Optional.empty();
    }
}
