package pomf.review.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.review.control.ReviewSql;
import pomf.review.entity.ReviewItem;
import pomf.review.entity.ReviewOrder;

/**
 * The queue's side of the review: what it passes to {@link ReviewSql} (a subclass noting each call), the time it
 * stamps (UTC now), and the categories the public may report for.
 */
class ReviewQueueTest {
    private static final String SHA256 = "0123456789abcdef".repeat(4);
    private static final ReviewItem ITEM = new ReviewItem(
            3L,
            "q.png",
            SHA256,
            "report",
            "spam",
            "ads",
            null,
            LocalDateTime.of(2026, 1, 1, 0, 0),
            null,
            null,
            null,
            2L);

    private final ReviewQueue queue = new ReviewQueue();
    private final List<List<Object>> calls = new ArrayList<>();

    private TimeZone zone;

    /** A default zone 14 hours from UTC, so that a local time would not pass for UTC now. */
    @BeforeEach
    void farFromUtc() {
        zone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
    }

    @AfterEach
    void restoreZone() {
        TimeZone.setDefault(zone);
    }

    @BeforeEach
    void sql() {
        queue.sql = new ReviewSql() {
            @Override
            public long addReport(
                    String storedName,
                    String sha256,
                    String category,
                    String details,
                    String contact,
                    String address,
                    LocalDateTime at) {
                calls.add(List.of("addReport", storedName, sha256, category, details, contact, address, at));
                return 77L;
            }

            @Override
            public List<ReviewItem> items(boolean openOnly, ReviewOrder order, String category, int limit) {
                calls.add(java.util.Arrays.asList("items", openOnly, order, category, limit));
                return List.of(ITEM);
            }

            @Override
            public Optional<ReviewItem> item(long id) {
                calls.add(List.of("item", id));
                return id == ITEM.id() ? Optional.of(ITEM) : Optional.empty();
            }

            @Override
            public long openCount() {
                calls.add(List.of("openCount"));
                return 12L;
            }

            @Override
            public boolean resolve(long id, LocalDateTime at, String by, String resolution) {
                calls.add(List.of("resolve", id, at, by, resolution));
                return id == ITEM.id();
            }

            @Override
            public int resolveContent(String sha256, LocalDateTime at, String by, String resolution) {
                calls.add(List.of("resolveContent", sha256, at, by, resolution));
                return 5;
            }
        };
    }

    /** Asserts {@code at} is UTC now, give or take the test's own run between {@code before} and after it. */
    private static void isUtcNow(Object at, LocalDateTime before) {
        LocalDateTime after = LocalDateTime.now(ZoneOffset.UTC);
        assertThat(LocalDateTime.now()).as("the default zone is far from UTC").isAfter(after.plusHours(13));
        assertThat(at).isInstanceOf(LocalDateTime.class);
        assertThat((LocalDateTime) at).isBetween(before.truncatedTo(ChronoUnit.MILLIS), after);
    }

    @Test
    void aReportIsPassedOnWhole_stampedUtcNow() {
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);

        long id = queue.report("q.png", SHA256, "copyright", "my film", "me@example.org", "198.51.100.4");

        assertThat(id).isEqualTo(77L);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).subList(0, 7))
                .containsExactly(
                        "addReport", "q.png", SHA256, "copyright", "my film", "me@example.org", "198.51.100.4");
        isUtcNow(calls.get(0).get(7), before);
    }

    @Test
    void itemsArePassedOnWithTheirOrderCategoryAndLimit() {
        assertThat(queue.items(false, ReviewOrder.MOST_REPORTED, "malware", 25)).containsExactly(ITEM);
        assertThat(calls).containsExactly(List.of("items", false, ReviewOrder.MOST_REPORTED, "malware", 25));
    }

    @Test
    void theModerationPagesDefaultIsNewestFirstOfEveryCategory() {
        assertThat(queue.items(true, 100)).containsExactly(ITEM);
        assertThat(calls).containsExactly(java.util.Arrays.asList("items", true, ReviewOrder.NEWEST, null, 100));
    }

    @Test
    void anItemAndTheOpenCountAreTheSqlsAnswers() {
        assertThat(queue.item(3L)).contains(ITEM);
        assertThat(queue.item(4L)).isEmpty();
        assertThat(queue.openCount()).isEqualTo(12L);
        assertThat(calls).containsExactly(List.of("item", 3L), List.of("item", 4L), List.of("openCount"));
    }

    @Test
    void resolvingIsStampedUtcNowAndSaysWhetherAnItemWasOpen() {
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);

        assertThat(queue.resolve(3L, "alice", "fine")).isTrue();
        assertThat(queue.resolve(4L, "alice", "fine")).isFalse();

        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).element(0).isEqualTo("resolve");
        assertThat(calls.get(0)).element(1).isEqualTo(3L);
        assertThat(calls.get(0).subList(3, 5)).containsExactly("alice", "fine");
        isUtcNow(calls.get(0).get(2), before);
        isUtcNow(calls.get(1).get(2), before);
    }

    @Test
    void resolvingContentIsStampedUtcNowAndCounts() {
        LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);

        assertThat(queue.resolveContent(SHA256, "bob", "taken down")).isEqualTo(5);

        assertThat(calls.get(0).subList(0, 2)).containsExactly("resolveContent", SHA256);
        assertThat(calls.get(0).subList(3, 5)).containsExactly("bob", "taken down");
        isUtcNow(calls.get(0).get(2), before);
    }

    @Test
    void thePublicMayReportForTheseSevenCategoriesAndNeverAsAHashList() {
        assertThat(ReviewQueue.CATEGORIES)
                .containsExactlyInAnyOrder(
                        "illegal", "child_abuse", "copyright", "malware", "harassment", "spam", "other")
                .doesNotContain("hash_list");
        // Stored in review_item.category, a varchar(30) (sql/schema/V13__public_reports.sql).
        assertThat(ReviewQueue.CATEGORIES)
                .allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(30).matches("[a-z_]+"));
    }
}
