package pomf.refusals.control;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.refusals.control.RefusalSql.Key;

/**
 * Uploads refused by moderation, counted per UTC day, kind and name ({@code block} + its range, {@code hash_list} +
 * the list, {@code ban}): in memory on the request path, added to {@code upload_refusal_day} by {@link #flush()} (each
 * janitor tick, and at shutdown) through {@link RefusalSql}. At most {@link #MAX_KEYS} names a day are kept apart; beyond, they count as
 * {@code (other)}, so a flood from many ranges cannot grow the map.
 */
@ApplicationScoped
public class Refusals {
    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());
    static final int MAX_KEYS = 10_000;

    @Inject
    RefusalSql sql;

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

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
        try {
            sql.addRefused(taken);
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
