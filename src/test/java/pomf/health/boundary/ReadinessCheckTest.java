package pomf.health.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pomf.it.deployments.ConfigInjection;
import pomf.it.deployments.StandIn;
import pomf.roles.control.Roles;
import pomf.storage.control.FolderBlobs;

/**
 * What readiness answers for each role with the database answering or not (a stand-in data source) and the storage
 * folder writable or not (a real {@link BlobStore} over a temporary folder).
 */
class ReadinessCheckTest {
    @TempDir
    Path storage;

    private final ReadinessCheck check = new ReadinessCheck();
    private final List<String> databaseCalls = new ArrayList<>();
    /** How the database answers: "valid", "invalid" (isValid false), "refused" (no connection), "broken" (isValid throws). */
    private String database = "valid";

    @BeforeAll
    static void responses() {
        HealthResponses.install();
    }

    @BeforeEach
    void wire() {
        check.blobs = new FolderBlobs(storage);
        check.dataSource = StandIn.of(DataSource.class, (method, args) -> {
            databaseCalls.add(method);
            if (!method.equals("getConnection") || args.length != 0) {
                throw new AssertionError("unexpected call " + method);
            }
            if (database.equals("refused")) {
                throw unchecked(new SQLException("Connection refused", "08001"));
            }
            return StandIn.of(Connection.class, (m, a) -> {
                databaseCalls.add(m + (a.length == 0 ? "" : " " + a[0]));
                return switch (m) {
                    case "isValid" -> {
                        if (database.equals("broken")) {
                            throw unchecked(new SQLException("timeout must be >= 0"));
                        }
                        yield database.equals("valid");
                    }
                    case "close" -> null;
                    default -> throw new AssertionError("unexpected call " + m);
                };
            });
        });
    }

    /** Throws {@code e} from a stand-in, whose method declares it. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException unchecked(Throwable e) throws E {
        throw (E) e;
    }

    private void roles(String roles) {
        check.roles = ConfigInjection.inject(new Roles(), Map.of("pomf.roles", roles));
    }

    /** Storage that takes no write: its temporary folder is gone. */
    private void storageBroken() throws IOException {
        Files.delete(storage.resolve("tmp"));
    }

    private static void answers(HealthCheckResponse response, boolean up, Map<String, Object> data) {
        assertThat(response.getName()).isEqualTo("pomf");
        assertThat(response.getStatus())
                .isEqualTo(up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN);
        assertThat(response.getData()).contains(data);
    }

    @Test
    void anOriginWithItsDatabaseAndStorageIsReady() {
        roles("origin,admin");

        answers(check.call(), true, Map.of("database", "UP", "storage", "UP"));
        assertThat(databaseCalls).containsExactly("getConnection", "isValid 2", "close");
        try (var left = Files.list(storage.resolve("tmp"))) {
            assertThat(left).as("the storage probe is removed").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUnreachableDatabaseIsNotReady() {
        roles("origin");
        database = "refused";

        answers(check.call(), false, Map.of("database", "DOWN", "storage", "UP"));
    }

    @Test
    void aConnectionThatIsNoLongerValidIsNotReadyAndIsClosed() {
        roles("origin");
        database = "invalid";

        answers(check.call(), false, Map.of("database", "DOWN", "storage", "UP"));
        assertThat(databaseCalls).containsExactly("getConnection", "isValid 2", "close");
    }

    @Test
    void aValidityCheckThatFailsCountsAsDown() {
        roles("origin");
        database = "broken";

        answers(check.call(), false, Map.of("database", "DOWN", "storage", "UP"));
        assertThat(databaseCalls).endsWith("close");
    }

    @Test
    void anOriginWhoseStorageTakesNoWriteIsNotReady() throws IOException {
        roles("origin");
        storageBroken();

        answers(check.call(), false, Map.of("database", "UP", "storage", "DOWN"));
    }

    @Test
    void bothDownSaySo() throws IOException {
        roles("origin,witness");
        database = "refused";
        storageBroken();

        answers(check.call(), false, Map.of("database", "DOWN", "storage", "DOWN"));
    }

    @Test
    void rolesWithoutUploadsDoNotNeedTheStorage() throws IOException {
        storageBroken();
        for (String roles : List.of("admin", "witness", "edge,witness", "edge,admin")) {
            roles(roles);
            answers(check.call(), true, Map.of("database", "UP", "storage", "UP"));
        }
        database = "refused";
        roles("witness");
        answers(check.call(), false, Map.of("database", "DOWN", "storage", "UP"));
    }

    @Test
    void anEdgeAloneIsReadyWithoutAskingTheDatabaseOrTheStorage() throws IOException {
        roles("edge");
        database = "refused";
        storageBroken();

        answers(check.call(), true, Map.of("role", "edge"));
        assertThat(databaseCalls).isEmpty();
    }
}
