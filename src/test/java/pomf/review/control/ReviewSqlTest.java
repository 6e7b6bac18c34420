package pomf.review.control;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.StandIn;
import pomf.review.entity.ReviewItem;
import pomf.review.entity.ReviewOrder;

/**
 * The review queue's statements over a stand-in entity manager: which statement each call sends, what it binds at
 * which position, and how it unpacks the rows the database would return. {@link ReviewItem} and
 * {@link ReviewOrder} are pure data (a record and an enum); they are covered here, where rows become items.
 */
class ReviewSqlTest {
    private static final String SHA256 = "ab".repeat(32);
    private static final LocalDateTime AT = LocalDateTime.of(2026, 3, 14, 15, 9, 26);

    private final ReviewSql sql = new ReviewSql();
    private final List<String> statements = new ArrayList<>();
    private final List<Map<Integer, Object>> bindings = new ArrayList<>();
    /** What the next query answers: getResultList's rows, getSingleResult's value or executeUpdate's count. */
    private Object answer;

    @BeforeEach
    void entityManager() {
        sql.em = StandIn.of(EntityManager.class, (method, args) -> {
            if (!method.equals("createNativeQuery") || args.length != 1) {
                throw new AssertionError("unexpected call " + method);
            }
            statements.add((String) args[0]);
            Map<Integer, Object> bound = new TreeMap<>();
            bindings.add(bound);
            Query[] query = new Query[1];
            query[0] = StandIn.of(Query.class, (m, a) -> switch (m) {
                case "setParameter" -> {
                    assertThat(a[0]).as("parameters are bound by position").isInstanceOf(Integer.class);
                    assertThat(bound.containsKey(a[0]))
                            .as("position %s bound twice", a[0])
                            .isFalse();
                    bound.put((Integer) a[0], a[1]);
                    yield query[0];
                }
                case "getResultList", "getSingleResult", "executeUpdate" -> answer;
                default -> throw new AssertionError("unexpected call " + m);
            });
            return query[0];
        });
    }

    private static Map<Integer, Object> positions(Object... values) {
        Map<Integer, Object> map = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(i + 1, values[i]);
        }
        return map;
    }

    private static Object[] row(Object... columns) {
        return columns;
    }

    @Test
    void aReportIsInsertedAsAReportWithItsSevenValuesInOrderAndItsIdReturned() {
        answer = 41L;

        long id = sql.addReport("abc123.png", SHA256, "malware", "it phones home", "me@example.org", "203.0.113.9", AT);

        assertThat(id).isEqualTo(41L);
        assertThat(statements.get(0))
                .isEqualTo("insert into review_item (stored_name, sha256, source, category, reason, contact,"
                        + " reporter_address, created_at) values (?1, ?2, 'report', ?3, ?4, ?5, ?6, ?7) returning id");
        assertThat(bindings.get(0))
                .isEqualTo(positions(
                        "abc123.png", SHA256, "malware", "it phones home", "me@example.org", "203.0.113.9", AT));
    }

    @Test
    void anIdInAnotherNumberTypeIsTakenAsItsLongValue() {
        answer = java.math.BigInteger.valueOf(7);
        assertThat(sql.addReport("a.png", SHA256, "spam", null, null, null, AT)).isEqualTo(7L);
        assertThat(bindings.get(0))
                .containsEntry(4, null)
                .containsEntry(5, null)
                .containsEntry(6, null);
    }

    @Test
    void newestFirstOrdersByCreationThenId() {
        answer = List.of();

        sql.items(true, ReviewOrder.NEWEST, null, 50);

        String statement = statements.get(0);
        assertThat(statement)
                .endsWith(" order by r.created_at desc, r.id desc limit ?3")
                .doesNotContain("order by reports")
                .contains(
                        "where (?1 = false or r.resolved_at is null) and (cast(?2 as varchar) is null or r.category = ?2)")
                .contains("(select count(*) from review_item o where o.stored_name = r.stored_name"
                        + " and o.resolved_at is null) as reports");
        assertThat(statement.indexOf("order by")).isEqualTo(statement.lastIndexOf("order by"));
        assertThat(bindings.get(0)).isEqualTo(positions(true, null, 50));
    }

    @Test
    void mostReportedFirstOrdersByTheCountOfOpenReportsThenNewest() {
        answer = List.of();

        sql.items(false, ReviewOrder.MOST_REPORTED, "copyright", 10);

        String statement = statements.get(0);
        assertThat(statement).endsWith(" order by reports desc, r.created_at desc, r.id desc limit ?3");
        assertThat(statement.indexOf("order by")).isEqualTo(statement.lastIndexOf("order by"));
        assertThat(bindings.get(0)).isEqualTo(positions(false, "copyright", 10));
    }

    @Test
    void theLimitIsKeptBetweenOneAndAThousand() {
        answer = List.of();
        int[][] cases = {{0, 1}, {-5, 1}, {1, 1}, {999, 999}, {1000, 1000}, {1001, 1000}, {Integer.MAX_VALUE, 1000}};
        for (int[] c : cases) {
            sql.items(true, ReviewOrder.NEWEST, null, c[0]);
        }
        for (int i = 0; i < cases.length; i++) {
            assertThat(bindings.get(i).get(3)).as("limit %s", cases[i][0]).isEqualTo(cases[i][1]);
        }
    }

    @Test
    void rowsBecomeItemsInTheirOrderWithTheSha256TrimmedAndBothKindsOfTimes() {
        LocalDateTime created = LocalDateTime.of(2026, 1, 2, 3, 4, 5, 600_000_000);
        LocalDateTime resolved = LocalDateTime.of(2026, 1, 3, 0, 0);
        answer = List.of(
                row(
                        12L,
                        "abc.png",
                        SHA256.substring(0, 40) + " ".repeat(24), // char(64) pads a shorter value
                        "report",
                        "spam",
                        "ads",
                        "x@example.org",
                        Timestamp.valueOf(created),
                        resolved,
                        "admin",
                        "removed",
                        3L),
                row(
                        9,
                        "def.jpg",
                        SHA256,
                        "hash list csam",
                        "hash_list",
                        "matches",
                        null,
                        created,
                        null,
                        null,
                        null,
                        1));

        List<ReviewItem> items = sql.items(false, ReviewOrder.NEWEST, null, 100);

        assertThat(items)
                .containsExactly(
                        new ReviewItem(
                                12L,
                                "abc.png",
                                SHA256.substring(0, 40),
                                "report",
                                "spam",
                                "ads",
                                "x@example.org",
                                created,
                                resolved,
                                "admin",
                                "removed",
                                3L),
                        new ReviewItem(
                                9L,
                                "def.jpg",
                                SHA256,
                                "hash list csam",
                                "hash_list",
                                "matches",
                                null,
                                created,
                                null,
                                null,
                                null,
                                1L));
    }

    @Test
    void aTimestampResolvedTimeIsConvertedToo() {
        LocalDateTime resolved = LocalDateTime.of(2025, 12, 31, 23, 59, 59);
        answer = List.<Object[]>of(
                row(1L, "a", SHA256, "report", "other", "r", null, AT, Timestamp.valueOf(resolved), "b", "ok", 0L));

        ReviewItem item = sql.items(false, ReviewOrder.NEWEST, null, 1).get(0);

        assertThat(item.createdAt()).isEqualTo(AT);
        assertThat(item.resolvedAt()).isEqualTo(resolved);
    }

    @Test
    void oneItemIsLookedUpByIdWithNoCountOfReports() {
        answer = List.<Object[]>of(row(5L, "x.gif", SHA256, "report", "illegal", "r", "c", AT, null, null, null, 0));

        assertThat(sql.item(5L))
                .contains(new ReviewItem(5L, "x.gif", SHA256, "report", "illegal", "r", "c", AT, null, null, null, 0L));
        assertThat(statements.get(0))
                .isEqualTo("select r.id, r.stored_name, r.sha256, r.source, r.category, r.reason, r.contact,"
                        + " r.created_at, r.resolved_at, r.resolved_by, r.resolution, 0 from review_item r"
                        + " where r.id = ?1");
        assertThat(bindings.get(0)).isEqualTo(positions(5L));
    }

    @Test
    void noSuchItemIsEmpty() {
        answer = List.of();
        assertThat(sql.item(404L)).isEmpty();
    }

    @Test
    void theOpenCountIsTheCountOfUnresolvedItems() {
        answer = 17L;
        assertThat(sql.openCount()).isEqualTo(17L);
        assertThat(statements.get(0)).isEqualTo("select count(*) from review_item where resolved_at is null");
        assertThat(bindings.get(0)).isEmpty();
    }

    @Test
    void resolvingClosesOnlyAnOpenItemAndSaysWhetherOneWas() {
        answer = 1;
        assertThat(sql.resolve(8L, AT, "alice", "fine")).isTrue();
        answer = 0;
        assertThat(sql.resolve(9L, AT, "bob", "gone")).isFalse();

        assertThat(statements.get(0))
                .isEqualTo("update review_item set resolved_at = ?2, resolved_by = ?3, resolution = ?4"
                        + " where id = ?1 and resolved_at is null");
        assertThat(bindings).containsExactly(positions(8L, AT, "alice", "fine"), positions(9L, AT, "bob", "gone"));
    }

    @Test
    void resolvingContentClosesEveryOpenItemOfItsHashAndCountsThem() {
        answer = 4;

        assertThat(sql.resolveContent(SHA256, AT, "alice", "taken down")).isEqualTo(4);
        assertThat(statements.get(0))
                .isEqualTo("update review_item set resolved_at = ?2, resolved_by = ?3, resolution = ?4"
                        + " where sha256 = ?1 and resolved_at is null");
        assertThat(bindings.get(0)).isEqualTo(positions(SHA256, AT, "alice", "taken down"));
    }
}
