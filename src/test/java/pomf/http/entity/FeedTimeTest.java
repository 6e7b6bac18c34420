package pomf.http.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeedTimeTest {
    @Test
    void timesAreWrittenToTheMicrosecondAtAFixedWidth() {
        assertThat(FeedTime.FORMAT.format(LocalDateTime.of(2026, 11, 1, 10, 30)))
                .isEqualTo("2026-11-01T10:30:00.000000");
        assertThat(FeedTime.FORMAT.format(LocalDateTime.of(2026, 1, 2, 3, 4, 5, 7_000)))
                .isEqualTo("2026-01-02T03:04:05.000007");
        // Nanoseconds are cut, never rounded up into the next microsecond.
        assertThat(FeedTime.FORMAT.format(LocalDateTime.of(2026, 12, 31, 23, 59, 59, 999_999_999)))
                .isEqualTo("2026-12-31T23:59:59.999999");
    }

    @Test
    void aWrittenTimeReadsBackAsTheSameMicrosecond() {
        LocalDateTime time = LocalDateTime.of(2026, 11, 1, 10, 30, 15, 123_456_789);
        String text = FeedTime.FORMAT.format(time);

        assertThat(LocalDateTime.parse(text, FeedTime.FORMAT)).isEqualTo(time.truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void timesOrderAsTheirText() {
        Random random = new Random(20261101);
        long from = LocalDateTime.of(2000, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        List<LocalDateTime> times = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            times.add(LocalDateTime.ofEpochSecond(
                    from + random.nextInt(2_000_000_000), random.nextInt(1_000_000) * 1_000, ZoneOffset.UTC));
        }

        List<String> byTime =
                times.stream().sorted().map(FeedTime.FORMAT::format).toList();
        List<String> byText = times.stream()
                .map(FeedTime.FORMAT::format)
                .sorted(Comparator.naturalOrder())
                .toList();

        assertThat(byText).isEqualTo(byTime);
        assertThat(byText).allSatisfy(t -> assertThat(t).hasSize(26));
    }
}
