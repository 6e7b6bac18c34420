package pomf.dns.control;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Round-robin A records in a Cloudflare zone. Cloudflare keeps one record, with its own id, per address, so a change
 * touches that record alone: add is one POST, remove a DELETE of each record holding the address.
 */
public class CloudflareProvider implements DnsProvider {
    /** "A record with the same settings already exists" (81057) and "An identical record already exists" (81058). */
    private static final int[] ALREADY_THERE = {81057, 81058};
    /** Cloudflare's largest page of DNS records is far larger; 100 keeps one answer small. */
    private static final int PER_PAGE = 100;
    /** Against a result_info that never ends: a round-robin set of more than 100 000 records is not ours. */
    private static final int MAX_PAGES = 1000;

    private final CloudflareApi api;
    private final int ttl;

    /**
     * @param apiBase {@code https://api.cloudflare.com/client/v4}
     * @param token an API token with DNS Edit permission on the zone (never the global API key)
     * @param zoneId the zone's id, from the zone's overview page
     * @param ttl for the records this provider adds: 1 for Cloudflare's "automatic", or 30 to 86400 seconds (below
     *     60 only on Enterprise zones); anything else is refused here
     * @param timeout for each API call, answer included
     */
    public CloudflareProvider(URI apiBase, String token, String zoneId, int ttl, Duration timeout) {
        if (ttl != 1 && (ttl < 30 || ttl > 86400)) {
            throw new IllegalArgumentException(
                    "Cloudflare: the TTL must be 1 (automatic) or 30 to 86400 s, not " + ttl);
        }
        this.api = new CloudflareApi(apiBase, token, zoneId, timeout);
        this.ttl = ttl;
    }

    @Override
    public String name() {
        return "cloudflare";
    }

    @Override
    public Set<String> addresses(String record) throws DnsException {
        Set<String> addresses = new LinkedHashSet<>();
        records(record).forEach(r -> addresses.add(r.getString("content", "")));
        return addresses;
    }

    @Override
    public void add(String record, String address) throws DnsException {
        JsonObject body = Json.createObjectBuilder()
                .add("type", "A")
                .add("name", normalised(record))
                .add("content", address)
                .add("ttl", ttl)
                .add("proxied", false) // the witness takes dead edges out of DNS: the records must be the edges
                .build();
        CloudflareApi.Answer answer = api.call("POST", "", body);
        if (!answer.success() && !answer.hasError(ALREADY_THERE)) {
            throw api.failure("add " + address + " to " + record, answer);
        }
    }

    @Override
    public void remove(String record, String address) throws DnsException {
        for (JsonObject found : records(record)) {
            if (!address.equals(found.getString("content", ""))) {
                continue;
            }
            String id = found.getString("id", "");
            CloudflareApi.Answer answer = api.call("DELETE", "/" + encoded(id), null);
            // 404: gone already (deleted by someone else since the list): what was asked for.
            if (!answer.success() && answer.status() != 404) {
                throw api.failure("remove " + address + " (record " + id + ") from " + record, answer);
            }
        }
    }

    /** Every A record of the name, page after page. */
    private List<JsonObject> records(String record) throws DnsException {
        String name = normalised(record);
        List<JsonObject> records = new ArrayList<>();
        int pages = 1;
        for (int page = 1; page <= pages && page <= MAX_PAGES; page++) {
            String query = "?type=A&name=" + encoded(name) + "&per_page=" + PER_PAGE + "&page=" + page;
            CloudflareApi.Answer answer = api.call("GET", query, null);
            if (!answer.success()) {
                throw api.failure("list the A records of " + record, answer);
            }
            JsonObject envelope = answer.envelope().orElseThrow();
            if (!(envelope.get("result") instanceof JsonArray result)) {
                throw api.failure("list the A records of " + record + " (no result list)", answer);
            }
            result.getValuesAs(JsonObject.class).stream()
                    .filter(r -> "A".equalsIgnoreCase(r.getString("type", ""))
                            && name.equalsIgnoreCase(r.getString("name", "")))
                    .forEach(records::add);
            pages = envelope.get("result_info") instanceof JsonObject info ? info.getInt("total_pages", 1) : 1;
        }
        return records;
    }

    private static String normalised(String record) {
        String name = record.strip().toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
