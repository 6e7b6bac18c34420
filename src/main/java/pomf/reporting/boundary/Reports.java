package pomf.reporting.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.database.boundary.SchemaMigration;
import pomf.reporting.control.ReportCatalog;
import pomf.reporting.control.ReportRunner;
import pomf.reporting.control.UnknownReportException;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportResult;

/**
 * The reports for the API and the admin pages: list them, run one by name with text parameters. Each run is a
 * local read-only transaction of its own on a pooled connection (no JTA: call it outside a container transaction).
 * Failures are {@code UnknownReportException}, {@code ReportParameterException}, {@code ReportTimeoutException}.
 */
@ApplicationScoped
public class Reports {
    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "pomf.reports.timeout-seconds", defaultValue = "60")
    int timeoutSeconds;

    @Inject
    @ConfigProperty(name = "pomf.reports.max-rows", defaultValue = "10000")
    int maxRows;

    private ReportCatalog catalog;

    @PostConstruct
    void load() {
        catalog = ReportCatalog.fromClasspath(Reports.class.getClassLoader());
    }

    public List<Report> list() {
        return List.copyOf(catalog.all().values());
    }

    public Optional<Report> find(String name) {
        return catalog.find(name);
    }

    public ReportResult run(String name, Map<String, String> params) {
        Report report = catalog.find(name).orElseThrow(() -> new UnknownReportException(name));
        try (Connection c = dataSource.getConnection()) {
            return new ReportRunner(timeoutSeconds, maxRows).run(c, report, params);
        } catch (SQLException e) {
            throw new IllegalStateException("the report " + name + " failed: " + e.getMessage(), e);
        }
    }
}
