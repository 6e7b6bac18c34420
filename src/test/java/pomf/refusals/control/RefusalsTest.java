package pomf.refusals.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.StandIn;

/**
 * Refusals counted in memory and what a flush writes through {@link RefusalSql}. No database: a stand-in data source
 * notes the rows of each batch (day, kind, name, count) as the upsert would receive them, or fails as an unreachable database would.
 */
class RefusalsTest {
    private final Refusals refusals = new Refusals();
    private final List<Map<String, Long>> flushes = new ArrayList<>();
    private final List<String> statements = new ArrayList<>();
    private LocalDate day;
    private boolean down;

    @BeforeEach
    void dataSource() {
        refusals.sql = new RefusalSql();
        refusals.sql.dataSource = StandIn.of(DataSource.class, (method, args) -> {
            if (!method.equals("getConnection") || args.length != 0) {
                throw new AssertionError("unexpected call " + method);
            }
            if (down) {
                throw unchecked(new SQLException("Connection refused", "08001"));
            }
            return connection();
        });
    }

    /** Throws {@code e} from a stand-in, whose method declares it (getConnection throws SQLException). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException unchecked(Throwable e) throws E {
        throw (E) e;
    }

    private Connection connection() {
        return StandIn.of(Connection.class, (method, args) -> switch (method) {
            case "prepareStatement" -> {
                statements.add((String) args[0]);
                yield statement();
            }
            case "close" -> null;
            default -> throw new AssertionError("unexpected call " + method);
        });
    }

    private PreparedStatement statement() {
        Map<String, Long> batch = new TreeMap<>();
        Object[] row = new Object[5];
        return StandIn.of(PreparedStatement.class, (method, args) -> switch (method) {
            case "setObject", "setString", "setLong" -> {
                row[(Integer) args[0]] = args[1];
                yield null;
            }
            case "addBatch" -> {
                day = (LocalDate) row[1];
                batch.merge(row[2] + "|" + row[3], (Long) row[4], Long::sum);
                yield null;
            }
            case "executeBatch" -> {
                flushes.add(batch);
                yield new int[batch.size()];
            }
            case "close" -> null;
            default -> throw new AssertionError("unexpected call " + method);
        });
    }

    @Test
    void refusalsAreCountedByKindAndNameAndWrittenForTheUtcDay() {
        LocalDate before = LocalDate.now(ZoneOffset.UTC);
        refusals.refused("block", "203.0.113.0/24");
        refusals.refused("block", "203.0.113.0/24");
        refusals.refused("block", "2001:db8::/48");
        refusals.refused("ban", "csam");
        refusals.refused("hash_list", "csam");

        refusals.flush();

        assertThat(flushes)
                .containsExactly(Map.of(
                        "block|203.0.113.0/24", 2L,
                        "block|2001:db8::/48", 1L,
                        "ban|csam", 1L,
                        "hash_list|csam", 1L));
        assertThat(day).isBetween(before, LocalDate.now(ZoneOffset.UTC));
        assertThat(statements.get(0))
                .startsWith("insert into upload_refusal_day (day, kind, name, refused)")
                .contains(
                        "on conflict (day, kind, name) do update set refused = upload_refusal_day.refused + excluded.refused");
    }

    @Test
    void whatWasWrittenIsNotWrittenAgain() {
        refusals.refused("ban", "spam");
        refusals.flush();
        refusals.flush(); // nothing new: no connection at all

        refusals.refused("ban", "spam");
        refusals.flush();

        assertThat(flushes).containsExactly(Map.of("ban|spam", 1L), Map.of("ban|spam", 1L));
        assertThat(statements).hasSize(2);
    }

    @Test
    void nothingCountedNeedsNoDatabase() {
        down = true;
        refusals.flush();
        assertThat(statements).isEmpty();
    }

    @Test
    void whatCouldNotBeWrittenIsKeptForTheNextFlush() {
        refusals.refused("block", "198.51.100.0/24");
        refusals.refused("block", "198.51.100.0/24");
        down = true;
        refusals.flush();
        assertThat(flushes).isEmpty();

        refusals.refused("block", "198.51.100.0/24");
        down = false;
        refusals.flush();

        assertThat(flushes).containsExactly(Map.of("block|198.51.100.0/24", 3L));
    }

    @Test
    void aLongNameIsCutAt120Characters() {
        String reason = "r".repeat(119) + "XYZ";
        refusals.refused("ban", reason);
        refusals.refused("ban", "r".repeat(119) + "XQQ"); // the same first 120 characters

        refusals.flush();

        assertThat(flushes).containsExactly(Map.of("ban|" + "r".repeat(119) + "X", 2L));
    }

    @Test
    void beyondTheCapNewNamesCountAsOther() {
        for (int i = 0; i < Refusals.MAX_KEYS; i++) {
            refusals.refused("block", "range-" + i);
        }
        refusals.refused("block", "one-too-many");
        refusals.refused("block", "and-another");
        refusals.refused("ban", "late-reason");
        refusals.refused("block", "range-7"); // known names still count as themselves

        refusals.flush();

        Map<String, Long> written = flushes.get(0);
        assertThat(written).hasSize(Refusals.MAX_KEYS + 2);
        assertThat(written).containsEntry("block|(other)", 2L).containsEntry("ban|(other)", 1L);
        assertThat(written).containsEntry("block|range-7", 2L).containsEntry("block|range-0", 1L);
        assertThat(written).doesNotContainKeys("block|one-too-many", "block|and-another", "ban|late-reason");
    }
}
