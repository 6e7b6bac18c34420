package pomf.admin.control;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a file search asks for; every field is optional and they combine with AND. The upload fields (original name,
 * address, dates) must all hold for one and the same upload of the file. Times are UTC, {@code to} exclusive.
 *
 * @param name case-insensitive part of an original name
 * @param stored a stored name, exactly
 * @param storedPrefix the start of stored names
 * @param hash SHA-1 or SHA-256 hex, or a prefix of at least 6 digits, lower case
 * @param address an uploader address, or a CIDR range when it holds a slash
 */
public record FileCriteria(
        String name,
        String stored,
        String storedPrefix,
        String hash,
        LocalDateTime from,
        LocalDateTime to,
        String address,
        FileSort sort) {
    public static final Set<String> FIELDS =
            Set.of("name", "stored", "storedPrefix", "hash", "from", "to", "address", "sort");

    public static FileCriteria all() {
        return new FileCriteria(null, null, null, null, null, null, null, FileSort.CREATED_DESC);
    }

    /**
     * The criteria from form or query fields; blank fields count as absent. Unknown fields are refused, so a typo
     * ({@code hsah=...}) does not silently list every file.
     */
    public static FileCriteria parse(Map<String, String> fields) {
        Set<String> unknown = new TreeSet<>(fields.keySet());
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty()) {
            throw CriteriaFields.bad(
                    unknown.iterator().next(), "no such field; known fields are " + new TreeSet<>(FIELDS));
        }
        String name = value(fields, "name");
        String stored = value(fields, "stored");
        String storedPrefix = value(fields, "storedPrefix");
        String hash = value(fields, "hash");
        String from = value(fields, "from");
        String to = value(fields, "to");
        String address = value(fields, "address");
        FileCriteria criteria = new FileCriteria(
                name == null ? null : CriteriaFields.text("name", name, 255),
                stored == null ? null : CriteriaFields.storedName("stored", stored),
                storedPrefix == null ? null : CriteriaFields.storedName("storedPrefix", storedPrefix),
                hash == null ? null : CriteriaFields.hash("hash", hash),
                from == null ? null : CriteriaFields.instant("from", from, false),
                to == null ? null : CriteriaFields.instant("to", to, true),
                address == null ? null : CriteriaFields.address("address", address),
                FileSort.of(value(fields, "sort")));
        if (criteria.from != null && criteria.to != null && !criteria.from.isBefore(criteria.to)) {
            throw CriteriaFields.bad("to", "a time after from");
        }
        return criteria;
    }

    public boolean addressIsRange() {
        return address != null && address.indexOf('/') >= 0;
    }

    boolean filtersUploads() {
        return name != null || address != null || from != null || to != null;
    }

    private static String value(Map<String, String> fields, String key) {
        String value = fields.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
