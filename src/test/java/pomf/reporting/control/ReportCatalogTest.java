package pomf.reporting.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReportCatalogTest {
    @Test
    void everyShippedReportLoads() {
        ReportCatalog catalog = ReportCatalog.fromFolder(Path.of("sql/reports"));
        assertThat(catalog.all().keySet())
                .contains(
                        "strikes-per-node-hour",
                        "node-events",
                        "availability-per-node-day",
                        "traffic-per-node-hour",
                        "traffic-per-node-day",
                        "bandwidth-p95-per-node-day",
                        "cache-hit-ratio-per-edge",
                        "top-files-by-bytes",
                        "uploads-per-day",
                        "dns-changes",
                        "moderation-per-day",
                        "refused-uploads-per-day");
        catalog.all().values().forEach(r -> assertThat(r.params()).isNotEmpty());
    }

    @Test
    void theBuildCopiesTheReportsToTheClasspath() {
        ReportCatalog catalog = ReportCatalog.fromClasspath(getClass().getClassLoader());
        assertThat(catalog.all().keySet())
                .isEqualTo(
                        ReportCatalog.fromFolder(Path.of("sql/reports")).all().keySet());
    }
}
