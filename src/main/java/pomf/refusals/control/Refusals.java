package pomf.refusals.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import pomf.database.boundary.SchemaMigration;

/**
 * Uploads refused by moderation, counted per UTC day, kind and name ({@code block} + its range, {@code hash_list} +
 * the list, {@code ban}): in memory on the request path, added to {@code upload_refusal_day} by {@link #flush()} (each
 * janitor tick, and at shutdown). At most {@link #MAX_KEYS} names a day are kept apart; beyond, they count as
 * {@code (other)}, so a flood from many ranges cannot grow the map.
 */
@ApplicationScoped
public class Refusals {
    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());
    static final int MAX_KEYS = 10_000;

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    private record Key(LocalDate day, String kind, String name) {}

    /** One upload refused: {@code kind} is block, hash_list or ban; {@code name} the range, list or reason. */
    public void refused(String kind, String name) {
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        Key key = new Key(day, kind, name.length() > 120 ? name.substring(0, 120) : name);
        LongAdder count = counts.get(key);
        if (count == null) {
            if (counts.size() >= MAX_KEYS) {
                key = new Key(day, kind, "(other)");
            }
            count = counts.computeIfAbsent(key, k -> new LongAdder());
        }
        count.increment();
    }

    /** Adds what was counted since the last flush to the table; what fails to be written is counted again later. */
    public void flush() {
        if (counts.isEmpty()) {
            return;
        }
        Map<Key, Long> taken = new HashMap<>();
        for (Key key : counts.keySet()) {
            LongAdder adder = counts.remove(key);
            if (adder != null) {
                taken.merge(key, adder.sum(), Long::sum);
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement upsert =
                        c.prepareStatement("insert into upload_refusal_day (day, kind, name, refused)"
                                + " values (?, ?, ?, ?) on conflict (day, kind, name) do update"
                                + " set refused = upload_refusal_day.refused + excluded.refused")) {
            for (Map.Entry<Key, Long> e : taken.entrySet()) {
                upsert.setObject(1, e.getKey().day());
                upsert.setString(2, e.getKey().kind());
                upsert.setString(3, e.getKey().name());
                upsert.setLong(4, e.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        } catch (SQLException | RuntimeException e) {
            taken.forEach((key, n) ->
                    counts.computeIfAbsent(key, k -> new LongAdder()).add(n));
            LOG.log(Level.WARNING, "refused uploads could not be recorded; kept for the next tick", e);
        }
    }

    @PreDestroy
    void last() {
        flush();
    }
}
