package pomf.dns.control;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Logger;

/**
 * The {@code none} provider, for dry runs: it logs the changes a real provider would make and changes nothing
 * outside this process. It keeps its own view of the records so that the witness, which confirms every change by
 * reading the addresses back, sees the same sequence of states it would see with a real zone.
 */
public final class LoggingProvider implements DnsProvider {
    private static final Logger LOG = Logger.getLogger(LoggingProvider.class.getName());

    // Each value is an immutable set replaced as a whole under the map's per-key lock, so readers never see a half
    // applied change and never need a lock themselves.
    private final ConcurrentMap<String, Set<String>> records = new ConcurrentHashMap<>();

    /** Starts with no records: the first {@link #add} creates one. */
    public LoggingProvider() {
        this(Map.of());
    }

    /** Starts from what the real zone holds, such as the configured nodes' addresses. */
    public LoggingProvider(Map<String, Set<String>> initial) {
        initial.forEach((record, addresses) -> {
            addresses.forEach(Ipv4Literal::parse);
            records.put(key(record), sorted(addresses));
        });
    }

    @Override
    public String name() {
        return "none";
    }

    @Override
    public Set<String> addresses(String record) {
        return records.getOrDefault(key(record), Set.of());
    }

    @Override
    public void add(String record, String address) {
        Ipv4Literal.parse(address);
        change(record, address, true);
    }

    @Override
    public void remove(String record, String address) {
        Ipv4Literal.parse(address);
        change(record, address, false);
    }

    private void change(String record, String address, boolean add) {
        boolean[] changed = {false};
        Set<String> now = records.compute(key(record), (name, old) -> {
            SortedSet<String> next = new TreeSet<>(old == null ? Set.of() : old);
            changed[0] = add ? next.add(address) : next.remove(address);
            return next.isEmpty() ? null : sorted(next);
        });
        LOG.info(() -> String.format(
                "DNS dry run: would %s %s %s %s%s; the A set would be %s",
                add ? "add" : "remove",
                address,
                add ? "to" : "from",
                key(record),
                changed[0] ? "" : " (no change: " + (add ? "already there)" : "not there)"),
                now == null ? "[]" : now));
    }

    /** Lower case without the trailing dot, as DNS names compare. */
    private static String key(String record) {
        if (record == null || record.isBlank()) {
            throw new IllegalArgumentException("no record name");
        }
        String name = record.endsWith(".") ? record.substring(0, record.length() - 1) : record;
        return name.toLowerCase(Locale.ROOT);
    }

    private static Set<String> sorted(Set<String> addresses) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(addresses));
    }
}
