package pomf.traffic.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pomf.traffic.entity.Batch;
import pomf.traffic.entity.FileHourRow;
import pomf.traffic.entity.MinuteRow;

class BatchJsonTest {
    static final long NOW = Instant.parse("2025-06-15T12:34:56Z").getEpochSecond();
    static final String MINUTE =
            "\"role\":\"edge\",\"minute\":\"2025-06-15T12:34:00Z\",\"requests\":3,\"bytesSent\":10,"
                    + "\"status2xx\":1,\"status3xx\":1,\"status4xx\":1,\"status5xx\":0,\"hits\":1,\"misses\":2,\"stale\":0,"
                    + "\"revalidated\":0,\"bytesFromOrigin\":5";
    static final String FILE = "\"name\":\"abc.png\",\"hour\":\"2025-06-15T12:00:00Z\",\"requests\":2,\"bytesSent\":10";
    static final String ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

    static String batch(String node, String id, String minute, String file) {
        return "{\"node\":\"" + node + "\",\"batch\":\"" + id + "\",\"minutes\":[{" + minute + "}],\"files\":[{" + file
                + "}]}";
    }

    @Test
    void aWrittenBatchReadsBackTheSame() {
        Batch batch = new Batch(
                "edge-1.example",
                UUID.randomUUID(),
                List.of(new MinuteRow("edge", NOW / 60 * 60, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, Long.MAX_VALUE)),
                List.of(new FileHourRow("x.tar.gz", NOW / 3600 * 3600, 1, 0)));
        assertThat(BatchJson.parse(BatchJson.write(batch), NOW)).isEqualTo(batch);
    }

    @Test
    void aWellFormedBatchIsRead() {
        Batch batch = BatchJson.parse(batch("edge-1", ID, MINUTE, FILE), NOW);
        assertThat(batch.id()).isEqualTo(UUID.fromString(ID));
        assertThat(batch.minutes().get(0).misses()).isEqualTo(2);
        assertThat(batch.files().get(0).fileName()).isEqualTo("abc.png");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "[]",
                "null",
                "{",
                "{\"node\":\"a\",\"batch\":\"" + ID + "\",\"minutes\":[]}",
                "{\"node\":\"a\",\"batch\":\"" + ID + "\",\"minutes\":[],\"files\":[],\"extra\":1}",
                "{\"node\":1,\"batch\":\"" + ID + "\",\"minutes\":[],\"files\":[]}",
                "{\"node\":\"a\",\"batch\":\"" + ID + "\",\"minutes\":{},\"files\":[]}",
                "{\"node\":\"a\",\"batch\":\"" + ID + "\",\"minutes\":[1],\"files\":[]}",
                "{\"node\":\"a\",\"batch\":\"" + ID + "\",\"minutes\":[],\"files\":[null]}",
            })
    void malformedBatchesAreRefused(String body) {
        assertThatThrownBy(() -> BatchJson.parse(body, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-edge",
                "a b",
                "x/y",
                "ä",
                "a'; drop table x",
                "0123456789012345678901234567890123456789012345678901234567890123"
            })
    void badNodeNamesAreRefused(String node) {
        assertThatThrownBy(() -> BatchJson.parse(batch(node, ID, MINUTE, FILE), NOW))
                .hasMessageContaining("node");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not-a-uuid",
                "0f8fad5b-d9cb-469f-a165-70867728950",
                "1-1-1-1-1",
                "0f8fad5bd9cb469fa16570867728950e"
            })
    void batchIdsMustBeUuids(String id) {
        assertThatThrownBy(() -> BatchJson.parse(batch("a", id, MINUTE, FILE), NOW))
                .hasMessageContaining("UUID");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"role\":\"witness\"",
                "\"minute\":\"2025-06-15T12:34:30Z\"",
                "\"minute\":\"2025-06-15T12:34:00.5Z\"",
                "\"minute\":\"2025-06-15 12:34\"",
                "\"minute\":1750000000",
                "\"minute\":\"2024-01-01T00:00:00Z\"",
                "\"minute\":\"2025-06-16T12:34:00Z\"",
                "\"requests\":-1",
                "\"requests\":1.5",
                "\"requests\":\"1\"",
                "\"requests\":null",
                "\"bytesSent\":9223372036854775808",
            })
    void badMinuteFieldsAreRefused(String replacement) {
        String field = replacement.substring(0, replacement.indexOf(':'));
        String minute = MINUTE.replaceFirst(
                java.util.regex.Pattern.quote(field) + ":[^,]*", java.util.regex.Matcher.quoteReplacement(replacement));
        assertThat(minute).isNotEqualTo(MINUTE);
        assertThatThrownBy(() -> BatchJson.parse(batch("a", ID, minute, FILE), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minutes[0]");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"name\":\"../etc/passwd\"",
                "\"name\":\"\"",
                "\"hour\":\"2025-06-15T12:34:00Z\"",
                "\"requests\":-5",
                "\"bytesSent\":true",
            })
    void badFileFieldsAreRefused(String replacement) {
        String field = replacement.substring(0, replacement.indexOf(':'));
        String file = FILE.replaceFirst(
                java.util.regex.Pattern.quote(field) + ":[^,]*", java.util.regex.Matcher.quoteReplacement(replacement));
        assertThat(file).isNotEqualTo(FILE);
        assertThatThrownBy(() -> BatchJson.parse(batch("a", ID, MINUTE, file), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("files[0]");
    }

    @Test
    void missingAndUnknownRowFieldsAreRefused() {
        assertThatThrownBy(() -> BatchJson.parse(batch("a", ID, MINUTE.replace(",\"stale\":0", ""), FILE), NOW))
                .hasMessageContaining("minutes[0]");
        assertThatThrownBy(() -> BatchJson.parse(batch("a", ID, MINUTE + ",\"more\":1", FILE), NOW))
                .hasMessageContaining("minutes[0]");
        assertThatThrownBy(() -> BatchJson.parse(batch("a", ID, MINUTE, FILE + ",\"node\":\"b\""), NOW))
                .hasMessageContaining("files[0]");
    }

    @Test
    void tooManyRowsAreRefused() {
        StringBuilder files = new StringBuilder();
        for (int i = 0; i <= Batch.MAX_FILES; i++) {
            files.append(i == 0 ? "" : ",").append('{').append(FILE).append('}');
        }
        String body = "{\"node\":\"a\",\"batch\":\"" + ID + "\",\"minutes\":[],\"files\":[" + files + "]}";
        assertThatThrownBy(() -> BatchJson.parse(body, NOW)).hasMessageContaining("more than");
    }

    @Test
    void largeDrainsAreSplitIntoBatchesWithinTheLimits() {
        List<FileHourRow> files = java.util.stream.IntStream.range(0, Batch.MAX_FILES * 2 + 1)
                .mapToObj(i -> new FileHourRow("f" + i, 0, 1, 1))
                .toList();
        List<Batch> batches = Batch.of("a", List.of(), files);
        assertThat(batches).hasSize(3);
        assertThat(batches.stream().mapToInt(b -> b.files().size()).sum()).isEqualTo(files.size());
        assertThat(batches.stream().map(Batch::id).distinct()).hasSize(3);
        assertThat(Batch.of("a", List.of(), List.of())).isEmpty();
    }
}
