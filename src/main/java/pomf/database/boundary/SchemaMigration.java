package pomf.database.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import pomf.roles.control.Roles;

/**
 * Brings the database to the schema in {@code sql/schema} (Flyway) before the web module opens, so no request
 * reaches JPA on an old schema. Flyway commits itself, hence bean-managed transactions.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
@DataSourceDefinition(
        name = SchemaMigration.DATA_SOURCE,
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "${MPCONFIG=pomf.db.url}",
        user = "${MPCONFIG=pomf.db.user}",
        password = "${MPCONFIG=pomf.db.password}",
        minPoolSize = 2,
        maxPoolSize = 32,
        properties = {
            // Validate a pooled connection at most every 10 s, not on every use (a round trip per request).
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=meta-data",
            "fish.payara.validate-atmost-once-period-in-seconds=10",
            "fish.payara.fail-all-connections=true"
        })
public class SchemaMigration {
    public static final String DATA_SOURCE = "java:app/jdbc/pomf";
    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = DATA_SOURCE)
    DataSource dataSource;

    @Inject
    Roles roles;

    @PostConstruct
    void migrate() {
        if (!roles.usesDatabase()) {
            LOG.info("edge-only instance: no database, no schema migration");
            return;
        }
        MigrateResult result = Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        LOG.info(() -> "database schema at version " + result.targetSchemaVersion + " (" + result.migrationsExecuted
                + " migration(s) applied now)");
    }
}
