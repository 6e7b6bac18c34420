package pomf.admin.entity;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A file's detail as the admin API writes it: the file's fields, its ban, and every upload of its bytes. */
class FileDetailTest {
    private static final FileRow FILE = new FileRow(
            "abc123.png",
            "a".repeat(40),
            "b".repeat(64),
            4_096,
            "image/png",
            LocalDateTime.of(2026, 11, 1, 10, 30, 15),
            2,
            "cat.png",
            null,
            true);

    @Test
    void theFileIsWrittenWithUtcTimesAndAbsentValuesAsNull() {
        JsonObject json = FILE.toJson();

        assertThat(json.getString("name")).isEqualTo("abc123.png");
        assertThat(json.getString("sha1")).isEqualTo("a".repeat(40));
        assertThat(json.getString("sha256")).isEqualTo("b".repeat(64));
        assertThat(json.getJsonNumber("size").longValue()).isEqualTo(4_096);
        assertThat(json.getString("contentType")).isEqualTo("image/png");
        assertThat(json.getString("createdAt")).isEqualTo("2026-11-01T10:30:15Z");
        assertThat(json.getJsonNumber("uploads").longValue()).isEqualTo(2);
        assertThat(json.getBoolean("banned")).isTrue();
        assertThat(json.getString("firstName")).isEqualTo("cat.png");
        assertThat(json.get("lastAddress")).isEqualTo(JsonValue.NULL);
    }

    @Test
    void theDetailAddsTheBanReasonAndTheUploadsInTheirOrder() {
        UploadRow first = new UploadRow(
                "cat.png",
                "203.0.113.9",
                LocalDateTime.of(2026, 11, 1, 10, 30),
                null,
                "https://pomf.example/f/abc123.png");
        UploadRow second = new UploadRow(
                "same-cat.png",
                null,
                LocalDateTime.of(2026, 11, 2, 8, 0, 0, 123_000_000),
                LocalDateTime.of(2026, 11, 9, 8, 0),
                "https://pomf.example/f/def456.png");

        JsonObject json = new FileDetail(FILE, "spam", List.of(first, second)).toJson();

        assertThat(json.getString("name")).isEqualTo("abc123.png");
        assertThat(json.getString("banReason")).isEqualTo("spam");
        assertThat(json.getJsonArray("uploadList")).hasSize(2);
        JsonObject one = json.getJsonArray("uploadList").getJsonObject(0);
        assertThat(one.getString("originalName")).isEqualTo("cat.png");
        assertThat(one.getString("link")).isEqualTo("https://pomf.example/f/abc123.png");
        assertThat(one.getString("address")).isEqualTo("203.0.113.9");
        assertThat(one.getString("createdAt")).isEqualTo("2026-11-01T10:30Z");
        assertThat(one.get("expiresAt")).isEqualTo(JsonValue.NULL);
        JsonObject two = json.getJsonArray("uploadList").getJsonObject(1);
        assertThat(two.getString("originalName")).isEqualTo("same-cat.png");
        assertThat(two.get("address")).isEqualTo(JsonValue.NULL);
        assertThat(two.getString("createdAt")).isEqualTo("2026-11-02T08:00:00.123Z");
        assertThat(two.getString("expiresAt")).isEqualTo("2026-11-09T08:00Z");
    }

    @Test
    void aFileThatIsNotBannedHasANullReason() {
        JsonObject json = new FileDetail(FILE, null, List.of()).toJson();

        assertThat(json.get("banReason")).isEqualTo(JsonValue.NULL);
        assertThat(json.getJsonArray("uploadList")).isEmpty();
    }

    @Test
    void aBanIsWrittenWithItsHashReasonAndUtcTime() {
        JsonObject json = new Ban("c".repeat(64), null, LocalDateTime.of(2026, 11, 1, 0, 0, 1)).toJson();

        assertThat(json.getString("hash")).isEqualTo("c".repeat(64));
        assertThat(json.get("reason")).isEqualTo(JsonValue.NULL);
        assertThat(json.getString("createdAt")).isEqualTo("2026-11-01T00:00:01Z");
    }
}
