package pomf.edge.control;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import pomf.http.control.EdgeLink;
import pomf.http.entity.FeedTime;

/**
 * What this edge knows of takedowns: the names it answers 451 without asking the origin (their content is banned),
 * and its catch-up on the origin's list of ban changes ({@code GET /api/v1/takedowns}, with the edges' token), so a
 * takedown whose purge never arrived (the edge was stopped, or cut off from the origin) still holds. The position in
 * that list is kept in the cache folder: a restart with a warm store first catches up on what happened while it was
 * down. At most {@link #MAX_NAMES} names are kept; beyond, a taken-down name is still dropped from the store, and the
 * origin's own 451 answers it.
 */
public final class TakedownFeed {
    private static final Logger LOG = Logger.getLogger(TakedownFeed.class.getName());
    static final int MAX_NAMES = 100_000;
    static final int PAGE = 1000;
    /** Each catch-up reads this far back again: a ban committed late under an earlier time is not skipped. */
    static final Duration OVERLAP = Duration.ofMinutes(2);

    private final Set<String> names = ConcurrentHashMap.newKeySet();
    private final HttpClient http;
    private final String base;
    private final String token;
    private final Path position;
    private final Duration timeout;
    /** The origin's time of the newest change applied; null until the origin first said what its time is. */
    private volatile String since;

    private volatile boolean full;

    /**
     * @param token the edges' shared token; without one the origin's list is closed and only purges take names down
     */
    public TakedownFeed(String originUrl, String token, Path cacheDir, Duration timeout) {
        this.base = originUrl;
        this.token = token;
        this.position = cacheDir.resolve("takedowns.position");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        this.since = readPosition();
    }

    /** Whether {@code name} is answered 451 here without asking the origin. */
    public boolean takenDown(String name) {
        return !names.isEmpty() && names.contains(name);
    }

    public void takeDown(String name) {
        if (names.size() < MAX_NAMES || names.contains(name)) {
            names.add(name);
        } else if (!full) {
            full = true;
            LOG.warning(() -> MAX_NAMES + " taken-down names are kept: further ones are dropped from the store and"
                    + " answered by the origin's own 451");
        }
    }

    public void restore(String name) {
        names.remove(name);
    }

    /** How many names are answered 451 here. */
    public int size() {
        return names.size();
    }

    /**
     * Applies every ban change since the last one applied (less {@link #OVERLAP}), page by page, oldest first:
     * {@code apply} gets each link's name and whether it is taken down now.
     *
     * @return how many changes were applied
     */
    public int catchUp(BiConsumer<String, Boolean> apply) throws IOException, InterruptedException {
        if (token == null) {
            return 0;
        }
        String from = since == null
                ? null
                : FeedTime.FORMAT.format(
                        LocalDateTime.parse(since, FeedTime.FORMAT).minus(OVERLAP));
        String after = "";
        int applied = 0;
        while (true) {
            JsonObject page = page(from, after);
            JsonArray changes = page.getJsonArray("changes");
            JsonObject next = page.getJsonObject("next");
            for (JsonObject change : changes.getValuesAs(JsonObject.class)) {
                apply.accept(change.getString("name"), change.getBoolean("takenDown"));
                applied++;
            }
            String reached = next.getString("since");
            if (since == null || reached.compareTo(since) > 0) {
                since = reached;
                writePosition(reached);
            }
            if (changes.size() < PAGE) {
                return applied;
            }
            from = reached;
            after = next.getString("after");
        }
    }

    private JsonObject page(String from, String after) throws IOException, InterruptedException {
        StringBuilder uri =
                new StringBuilder(base).append("/api/v1/takedowns?limit=").append(PAGE);
        if (from != null) {
            uri.append("&since=").append(URLEncoder.encode(from, StandardCharsets.UTF_8));
            uri.append("&after=").append(URLEncoder.encode(after, StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .timeout(timeout)
                .header(EdgeLink.FETCH_HEADER, token)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the origin's list of takedowns answered " + response.statusCode());
        }
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        } catch (JsonException | ClassCastException e) {
            throw new IOException("the origin's list of takedowns is not what this edge reads: " + e.getMessage());
        }
    }

    private String readPosition() {
        try {
            String text = Files.readString(position).trim();
            LocalDateTime.parse(text, FeedTime.FORMAT);
            return text;
        } catch (IOException | DateTimeParseException e) {
            return null; // a new cache folder, or one from before takedowns: start from the origin's present
        }
    }

    private void writePosition(String value) {
        try {
            Path temporary = position.resolveSibling(position.getFileName() + ".tmp");
            Files.writeString(temporary, value + "\n");
            Files.move(temporary, position, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warning(() -> "the takedown list's position cannot be kept in " + position + ": " + e);
        }
    }
}
