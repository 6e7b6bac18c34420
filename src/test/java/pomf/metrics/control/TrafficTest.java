package pomf.metrics.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.StandIn;

/** What each event adds to which counter, as {@code /metrics} shows it: counters are read as name{tags}. */
class TrafficTest {
    private final Map<String, Long> counts = new TreeMap<>();
    private final Traffic traffic = new Traffic();

    @BeforeEach
    void registry() {
        traffic.registry = StandIn.of(MetricRegistry.class, (method, args) -> {
            if (!method.equals("counter") || !(args[0] instanceof String name)) {
                throw new AssertionError("unexpected call " + method + Arrays.toString(args));
            }
            Tag[] tags = args.length > 1 ? (Tag[]) args[1] : new Tag[0];
            String id = name
                    + (tags.length == 0
                            ? ""
                            : Arrays.stream(tags)
                                    .map(t -> t.getTagName() + "=" + t.getTagValue())
                                    .collect(Collectors.joining(",", "{", "}")));
            return counter(id);
        });
    }

    private Counter counter(String id) {
        return StandIn.of(Counter.class, (method, args) -> switch (method) {
            case "inc" -> {
                counts.merge(id, args.length == 0 ? 1L : (Long) args[0], Long::sum);
                yield null;
            }
            case "getCount" -> counts.getOrDefault(id, 0L);
            default -> throw new AssertionError("unexpected call " + method);
        });
    }

    @Test
    void aNewUploadCountsItselfAndItsBytes() {
        traffic.uploaded(1_000, false);
        traffic.uploaded(24, false);

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("pomf_uploads", 2L, "pomf_upload_bytes", 1_024L));
    }

    @Test
    void aDuplicateAlsoCountsTheBytesDedupSaved() {
        traffic.uploaded(1_000, false);
        traffic.uploaded(1_000, true);

        assertThat(counts)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "pomf_uploads", 2L,
                        "pomf_upload_bytes", 2_000L,
                        "pomf_upload_duplicates", 1L,
                        "pomf_dedup_saved_bytes", 1_000L));
    }

    @Test
    void refusalsAreCountedByStatus() {
        traffic.refused(413);
        traffic.refused(413);
        traffic.refused(451);

        assertThat(counts)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("pomf_upload_refusals{status=413}", 2L, "pomf_upload_refusals{status=451}", 1L));
    }

    @Test
    void answersAreCountedByStatusAndTheirBytesTogether() {
        traffic.served(200, 4_096);
        traffic.served(206, 100);
        traffic.served(304, 0);
        // A long answer is counted when it starts, without bytes, and its bytes when it ends.
        traffic.served(200, 0);
        traffic.sent(1 << 20);

        assertThat(counts)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "pomf_file_responses{status=200}", 2L,
                        "pomf_file_responses{status=206}", 1L,
                        "pomf_file_responses{status=304}", 1L,
                        "pomf_file_bytes_sent", 4_096L + 100 + (1 << 20)));
    }
}
