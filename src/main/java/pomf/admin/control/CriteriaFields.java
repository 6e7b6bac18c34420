package pomf.admin.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import pomf.problem.entity.ProblemException;

/**
 * Validation of each search field, refusing with a 400 that names the field: input is checked here so that SQL
 * only ever sees well-formed values (a bad inet cast would otherwise fail as a 500 deep in PostgreSQL).
 */
final class CriteriaFields {
    static final int MIN_HASH_PREFIX = 6;
    /** The start of a stored name (LIKE escapes its _), not a whole one: no StoredNames rule. */
    private static final Pattern STORED_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,40}");

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{" + MIN_HASH_PREFIX + ",64}");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F]*:[0-9a-fA-F:.]*");
    private static final Pattern PREFIX_LENGTH = Pattern.compile("[0-9]{1,3}");

    private CriteriaFields() {}

    static String text(String field, String value, int max) {
        if (value.length() > max) {
            throw bad(field, "at most " + max + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw bad(field, "control characters are not allowed");
        }
        return value;
    }

    static String storedName(String field, String value) {
        if (!STORED_PREFIX.matcher(value).matches()) {
            throw bad(field, "a stored name is 1 to 40 of A-Z a-z 0-9 . _ -");
        }
        return value;
    }

    static String hash(String field, String value) {
        String hex = value.toLowerCase(Locale.ROOT);
        if (!HEX.matcher(hex).matches()) {
            throw bad(field, "a SHA-1 or SHA-256 in hex, or a prefix of at least " + MIN_HASH_PREFIX + " hex digits");
        }
        return hex;
    }

    /**
     * A date ({@code 2025-08-03}: the start of that UTC day, or with {@code endOfDay} the start of the next, so a
     * date as the upper bound includes its day) or a date-time with offset ({@code 2025-08-03T10:00:00Z}).
     */
    static LocalDateTime instant(String field, String value, boolean endOfDay) {
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay();
            }
            return OffsetDateTime.parse(value)
                    .withOffsetSameInstant(ZoneOffset.UTC)
                    .toLocalDateTime();
        } catch (DateTimeParseException e) {
            throw bad(field, "a date (2025-08-03) or a date-time with offset (2025-08-03T10:00:00Z)");
        }
    }

    /** An IPv4 or IPv6 address, or a range of them in CIDR notation; literals only, never a DNS lookup. */
    static String address(String field, String value) {
        int slash = value.indexOf('/');
        String host = slash < 0 ? value : value.substring(0, slash);
        byte[] address = literal(host);
        if (address == null) {
            throw bad(field, "an IPv4 or IPv6 address, or a range such as 203.0.113.0/24");
        }
        if (slash >= 0) {
            String bits = value.substring(slash + 1);
            if (!PREFIX_LENGTH.matcher(bits).matches() || Integer.parseInt(bits) > address.length * 8) {
                throw bad(field, "the prefix length of " + host + " is 0 to " + address.length * 8);
            }
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static byte[] literal(String text) {
        // Only text shaped like an address reaches InetAddress, which then parses it without the name service.
        if (!IPV4.matcher(text).matches() && !IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static ProblemException bad(String field, String expected) {
        return ProblemException.badRequest(field + ": expected " + expected);
    }
}
