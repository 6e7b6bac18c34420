package pomf.dns.control;

import java.util.Locale;
import java.util.Set;

/**
 * The account's domain as the Namecheap API wants it, an SLD and a TLD, and the host part of a record under it.
 *
 * <p>{@code example.com} splits at its last dot. A TLD of two labels ({@code example.co.uk}) is recognised from the
 * short list below; any other is given explicitly as {@code sld|tld} ({@code example|com.pe}). A domain with more
 * labels than its TLD and one SLD label is refused, because Namecheap manages registered domains, not subdomains.
 */
final class NamecheapDomain {
    /** Two-label TLDs Namecheap registers; a convenience, not the public suffix list ({@code sld|tld} covers the rest). */
    private static final Set<String> TWO_LABEL_TLDS = Set.of(
            "co.uk", "me.uk", "org.uk", "ltd.uk", "plc.uk", "net.uk", "com.au", "net.au", "org.au", "id.au", "co.nz",
            "net.nz", "org.nz", "co.in", "net.in", "org.in", "firm.in", "gen.in", "ind.in", "com.mx", "com.co",
            "net.co", "nom.co", "com.br", "com.sg", "com.ph", "com.tw", "org.tw", "com.es", "org.es", "com.pl",
            "net.pl", "org.pl", "br.com", "cn.com", "de.com", "eu.com", "uk.com", "us.com", "jpn.com", "za.com",
            "co.com");

    private final String sld;
    private final String tld;

    private NamecheapDomain(String sld, String tld) {
        this.sld = sld;
        this.tld = tld;
    }

    /** @throws IllegalArgumentException for a domain that cannot be split: a configuration error, found at start. */
    static NamecheapDomain parse(String domain) {
        String name = normalised(domain == null ? "" : domain);
        int bar = name.indexOf('|');
        if (bar >= 0) {
            return checked(name.substring(0, bar), name.substring(bar + 1), domain);
        }
        int last = name.lastIndexOf('.');
        int previous = last < 0 ? -1 : name.lastIndexOf('.', last - 1);
        int cut = previous >= 0 && TWO_LABEL_TLDS.contains(name.substring(previous + 1)) ? previous : last;
        if (cut <= 0) {
            throw new IllegalArgumentException("Namecheap domain '" + domain + "' has no TLD; give it as sld|tld");
        }
        return checked(name.substring(0, cut), name.substring(cut + 1), domain);
    }

    private static NamecheapDomain checked(String sld, String tld, String given) {
        if (sld.isEmpty() || tld.isEmpty() || tld.startsWith(".") || tld.endsWith(".")) {
            throw new IllegalArgumentException(
                    "Namecheap domain '" + given + "' is not of the form sld.tld or sld|tld");
        }
        if (sld.contains(".")) {
            throw new IllegalArgumentException(
                    "Namecheap domain '" + given + "' has more than one label before its TLD '" + tld
                            + "': give the registered domain, or sld|tld when the TLD has several labels");
        }
        return new NamecheapDomain(sld, tld);
    }

    String sld() {
        return sld;
    }

    String tld() {
        return tld;
    }

    String name() {
        return sld + "." + tld;
    }

    /**
     * The host name Namecheap lists a record under: {@code cdn} for {@code cdn.example.com}, {@code @} for the apex.
     * Lower case, as the live API returns names.
     */
    String hostOf(String record) throws DnsException {
        String fqdn = normalised(record == null ? "" : record);
        if (fqdn.equals(name())) {
            return "@";
        }
        if (fqdn.endsWith("." + name()) && fqdn.length() > name().length() + 1) {
            return fqdn.substring(0, fqdn.length() - name().length() - 1);
        }
        throw new DnsException(
                "the record '" + record + "' is not in the Namecheap domain '" + name() + "': check the record name"
                        + " and the configured domain",
                false);
    }

    private static String normalised(String name) {
        String trimmed = name.strip().toLowerCase(Locale.ROOT);
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
