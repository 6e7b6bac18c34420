package pomf.review.entity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The words of {@code sort=} and the moderation page, read into orders and back. */
class ReviewOrderTest {
    @Test
    void eachOrderIsReadFromItsOwnWord() {
        assertThat(ReviewOrder.named("newest")).contains(ReviewOrder.NEWEST);
        assertThat(ReviewOrder.named("most")).contains(ReviewOrder.MOST_REPORTED);
        for (ReviewOrder order : ReviewOrder.values()) {
            assertThat(ReviewOrder.named(order.word())).contains(order);
        }
    }

    @Test
    void noWordIsNewestFirst() {
        assertThat(ReviewOrder.named(null)).contains(ReviewOrder.NEWEST);
    }

    @Test
    void anyOtherWordIsNoOrder() {
        assertThat(ReviewOrder.named("")).isEmpty();
        assertThat(ReviewOrder.named("MOST")).as("words are exact").isEmpty();
        assertThat(ReviewOrder.named("most_reported"))
                .as("not the constant's name")
                .isEmpty();
        assertThat(ReviewOrder.named(" newest")).isEmpty();
    }
}
