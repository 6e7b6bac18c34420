package pomf.it.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLogTest {
    private static final LocalDateTime SINCE = LocalDateTime.of(2026, 12, 5, 2, 30);

    @Test
    void keepsRecentWarningsWithTheirCausesButNoFrames() {
        String summary = ServerLog.summary(
                List.of(
                        "2026-12-05 02:29:59.999 WARNING pomf.Old: before the test",
                        "2026-12-05 02:30:01.000 INFO    pomf.Fine: published",
                        "2026-12-05 02:30:02.000 WARNING pomf.upload.boundary.Publisher: upload could not be recorded",
                        "jakarta.persistence.PersistenceException: boom",
                        "\tat pomf.registry.boundary.Registry.publish(Registry.java:76)",
                        "Caused by: org.postgresql.util.PSQLException: deadlock detected",
                        "\t... 12 more",
                        "2026-12-05 02:30:03.000 INFO    pomf.Fine: deleted"),
                SINCE);
        assertThat(summary)
                .isEqualTo("\nthe server's last warnings:\n"
                        + "2026-12-05 02:30:02.000 WARNING pomf.upload.boundary.Publisher: upload could not be recorded\n"
                        + "jakarta.persistence.PersistenceException: boom\n"
                        + "Caused by: org.postgresql.util.PSQLException: deadlock detected");
    }

    @Test
    void saysSoWhenThereIsNothing() {
        assertThat(ServerLog.summary(List.of("2026-12-05 02:31:00.000 INFO    pomf.Fine: ok"), SINCE))
                .isEqualTo("\n(the server logged no warnings since 2026-12-05 02:30:00.000)");
    }
}
