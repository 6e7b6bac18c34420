package pomf.health.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import pomf.database.boundary.SchemaMigration;
import pomf.roles.control.Roles;
import pomf.storage.control.BlobStore;

/** Ready when the database answers and the storage folder takes a synced write. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Resource(lookup = SchemaMigration.DATA_SOURCE)
    DataSource dataSource;

    @Inject
    BlobStore blobs;

    @Inject
    Roles roles;

    /** Created at startup: a bean first created by Payara's health servlet would not see the app's configuration. */
    void eager(@Observes @Initialized(ApplicationScoped.class) Object started) {
        roles.origin();
    }

    @Override
    public HealthCheckResponse call() {
        if (!roles.usesDatabase()) {
            return HealthCheckResponse.named("pomf")
                    .up()
                    .withData("role", "edge")
                    .build();
        }
        boolean database = databaseAnswers();
        boolean storage = !roles.origin() || blobs.writable();
        return HealthCheckResponse.named("pomf")
                .status(database && storage)
                .withData("database", database ? "UP" : "DOWN")
                .withData("storage", storage ? "UP" : "DOWN")
                .build();
    }

    private boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
