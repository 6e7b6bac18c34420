package pomf.edge.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's catch-up on the origin's list of ban changes, against a small HTTP server playing the origin. */
class TakedownFeedTest {
    static final String TOKEN = "feed-token";
    static final String NOW = "2026-12-04T10:00:00.000000";

    @TempDir
    Path folder;

    HttpServer origin;
    final List<Map<String, String>> asked = new CopyOnWriteArrayList<>();
    volatile Function<Map<String, String>, String> pages = q -> page(List.of(), NOW, "");
    volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/api/v1/takedowns", exchange -> {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            query.put("token", String.valueOf(exchange.getRequestHeaders().getFirst("X-Pomf-Edge-Fetch")));
            asked.add(query);
            byte[] body = pages.apply(query).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
    }

    @AfterEach
    void stop() {
        origin.stop(0);
    }

    TakedownFeed feed(String token) {
        return new TakedownFeed(
                "http://127.0.0.1:" + origin.getAddress().getPort(), token, folder, Duration.ofSeconds(5));
    }

    @Test
    void aNewEdgeStartsFromTheOriginsPresentAndKeepsIt() throws Exception {
        TakedownFeed feed = feed(TOKEN);
        assertThat(feed.catchUp((name, down) -> {})).isZero();
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0)).doesNotContainKey("since").containsEntry("token", TOKEN);
        assertThat(Files.readString(folder.resolve("takedowns.position")).trim())
                .isEqualTo(NOW);

        // The next catch-up, and a restarted edge's first, read from there, two minutes back.
        feed.catchUp((name, down) -> {});
        feed(TOKEN).catchUp((name, down) -> {});
        assertThat(asked.get(1))
                .containsEntry("since", "2026-12-04T09:58:00.000000")
                .containsEntry("after", "");
        assertThat(asked.get(2)).containsEntry("since", "2026-12-04T09:58:00.000000");
    }

    @Test
    void changesAreAppliedInOrderPageByPageAndThePositionOnlyMovesForward() throws Exception {
        Files.writeString(folder.resolve("takedowns.position"), NOW + "\n");
        List<String> full = new ArrayList<>();
        for (int i = 0; i < TakedownFeed.PAGE; i++) {
            full.add(change(String.format("n%04d.bin", i), true, "2026-12-04T10:00:01.000000"));
        }
        pages = q -> q.get("after").isEmpty()
                ? page(full, "2026-12-04T10:00:01.000000", "n0999.bin")
                : page(
                        List.of(
                                change("n0002.bin", false, "2026-12-04T10:00:02.000000"),
                                change("zz.bin", true, "2026-12-04T10:00:03.000000")),
                        "2026-12-04T10:00:03.000000",
                        "zz.bin");
        TakedownFeed feed = feed(TOKEN);
        List<String> applied = new ArrayList<>();
        assertThat(feed.catchUp((name, down) -> applied.add(name + (down ? " down" : " up"))))
                .isEqualTo(TakedownFeed.PAGE + 2);
        assertThat(applied).startsWith("n0000.bin down", "n0001.bin down").endsWith("n0002.bin up", "zz.bin down");
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1))
                .containsEntry("since", "2026-12-04T10:00:01.000000")
                .containsEntry("after", "n0999.bin");
        assertThat(Files.readString(folder.resolve("takedowns.position")).trim())
                .isEqualTo("2026-12-04T10:00:03.000000");

        // Re-read changes older than the position (the overlap) do not move it back.
        pages = q -> page(
                List.of(change("zz.bin", true, "2026-12-04T10:00:03.000000")), "2026-12-04T09:59:00.000000", "zz.bin");
        feed.catchUp((name, down) -> {});
        assertThat(Files.readString(folder.resolve("takedowns.position")).trim())
                .isEqualTo("2026-12-04T10:00:03.000000");
    }

    @Test
    void aRefusalKeepsThePositionAndSaysWhy() throws Exception {
        Files.writeString(folder.resolve("takedowns.position"), NOW + "\n");
        status = 401;
        assertThatThrownBy(() -> feed(TOKEN).catchUp((name, down) -> {}))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("401");
        status = 200;
        pages = q -> "<html>not json</html>";
        assertThatThrownBy(() -> feed(TOKEN).catchUp((name, down) -> {})).isInstanceOf(IOException.class);
        assertThat(Files.readString(folder.resolve("takedowns.position")).trim())
                .isEqualTo(NOW);
    }

    @Test
    void withoutTheEdgesTokenNothingIsAsked() throws Exception {
        assertThat(feed(null).catchUp((name, down) -> {})).isZero();
        assertThat(asked).isEmpty();
    }

    @Test
    void takenDownNamesAreBoundedAndRestored() {
        TakedownFeed feed = feed(TOKEN);
        assertThat(feed.takenDown("a.bin")).isFalse();
        feed.takeDown("a.bin");
        assertThat(feed.takenDown("a.bin")).isTrue();
        feed.restore("a.bin");
        assertThat(feed.takenDown("a.bin")).isFalse();
        for (int i = 0; i < TakedownFeed.MAX_NAMES + 10; i++) {
            feed.takeDown("n" + i);
        }
        assertThat(feed.size()).isEqualTo(TakedownFeed.MAX_NAMES);
        assertThat(feed.takenDown("n0")).isTrue();
        assertThat(feed.takenDown("n" + (TakedownFeed.MAX_NAMES + 5))).isFalse();
    }

    @Test
    void aDamagedPositionCountsAsNone() throws Exception {
        Files.writeString(folder.resolve("takedowns.position"), "yesterday");
        feed(TOKEN).catchUp((name, down) -> {});
        assertThat(asked.get(0)).doesNotContainKey("since");
        assertThat(LocalDateTime.parse(
                        Files.readString(folder.resolve("takedowns.position")).trim()))
                .isEqualTo(LocalDateTime.parse(NOW));
    }

    static String change(String name, boolean down, String at) {
        return "{\"name\":\"" + name + "\",\"takenDown\":" + down + ",\"at\":\"" + at + "\"}";
    }

    static String page(List<String> changes, String since, String after) {
        return "{\"changes\":[" + String.join(",", changes) + "],\"next\":{\"since\":\"" + since + "\",\"after\":\""
                + after + "\"}}";
    }

    static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}
