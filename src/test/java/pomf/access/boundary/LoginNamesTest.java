package pomf.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pomf.access.control.AccessSettings;
import pomf.access.control.AccessSqls;
import pomf.it.deployments.ConfigInjection;

/**
 * A login name is whatever the client typed: what reaches the log and the audit trail ({@code admin_action}) must
 * not be able to start a line of its own or be of any length. The real mechanism, accounts and audit trail run
 * (an unknown name needs no database before the audit row); the data source records the row's values.
 */
class LoginNamesTest {
    private static final String FORGED = "alice\n2026-12-04 INFO forged";
    /** Characters that end a line somewhere: a terminal, a log viewer, a JSON log shipper, a spreadsheet. */
    private static final String LINE_BREAKS = "[\\r\\n\\u000b\\u000c\\u001c-\\u001e\\u0085\\u2028\\u2029]";

    private final Logger log = Logger.getLogger(AdminAuthentication.class.getName());
    private final List<String> lines = new ArrayList<>();
    private final Level levelBefore = log.getLevel();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final List<Map<Integer, String>> auditRows = new ArrayList<>();
    private final LoginAttempts logins;

    LoginNamesTest() {
        log.addHandler(capture);
        log.setLevel(Level.ALL);
        AccessSettings settings = ConfigInjection.inject(
                new AccessSettings(), Map.of("pomf.trusted-proxies", "127.0.0.1", "pomf.admin.login-rate", "100"));
        AuditLog audit = new AuditLog();
        audit.sql = AccessSqls.over(null, recordingDataSource());
        AdminAccounts accounts = new AdminAccounts();
        accounts.settings = settings;
        accounts.audit = audit;
        accounts.em = noAccounts();
        logins = new LoginAttempts(settings, accounts);
    }

    @AfterEach
    void release() {
        log.removeHandler(capture);
        log.setLevel(levelBefore);
    }

    @Test
    void aNameCannotForgeALogLine() {
        assertThat(logins.login("198.51.100.1", FORGED)).isEqualTo(AdminAuthentication.FAILED);

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line).doesNotContainPattern(LINE_BREAKS);
            assertThat(line).contains("alice\\n2026-12-04 INFO forged");
        });
    }

    @Test
    void aNameCannotForgeAnAuditRow() {
        logins.login("198.51.100.1", FORGED);

        assertThat(auditRows).singleElement().satisfies(row -> {
            assertThat(row.get(3)).isEqualTo("login.failed");
            assertThat(row.get(4)).doesNotContainPattern(LINE_BREAKS).isEqualTo("alice\\n2026-12-04 INFO forged");
        });
    }

    @Test
    void everyKindOfLineBreakAndControlIsNeutralised() {
        logins.login("198.51.100.1", "a\rb\u2028c\u2029d\u0085e\u001bf\u0000g\u202eh");

        assertThat(lines).singleElement().satisfies(line -> assertThat(line)
                .doesNotContainPattern(LINE_BREAKS)
                .doesNotContainPattern("[\\u0000-\\u001f\\u007f-\\u009f\\u202e]"));
        assertThat(auditRows.get(0).get(4))
                .doesNotContainPattern("[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202e]")
                .startsWith("a\\rb");
    }

    @Test
    void aLongNameIsCutShortInTheLogAndTheAuditRow() {
        String huge = "x".repeat(10_000);

        logins.login("198.51.100.1", huge);

        assertThat(lines).singleElement().satisfies(line -> assertThat(line.length())
                .isLessThan(200));
        assertThat(auditRows).singleElement().satisfies(row -> assertThat(row.get(4))
                .hasSizeLessThanOrEqualTo(65)
                .startsWith("x".repeat(64))
                .endsWith("…"));
    }

    @Test
    void anAddressFromAProxysHeaderIsNeutralisedToo() {
        logins.login("127.0.0.1", "not-an-address\u2028" + "2026-12-04 INFO forged", "alice");

        assertThat(lines).singleElement().satisfies(line -> assertThat(line).doesNotContainPattern(LINE_BREAKS));
        assertThat(auditRows.get(0).get(2)).doesNotContainPattern(LINE_BREAKS);
    }

    private static EntityManager noAccounts() {
        return LoginAttempts.stub(EntityManager.class, (method, args) -> switch (method) {
            case "createNamedQuery" -> noRows();
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private static TypedQuery<?> noRows() {
        return LoginAttempts.stub(TypedQuery.class, (method, args) -> switch (method) {
            case "setParameter", "setLockMode" -> noRows();
            case "getResultStream" -> Stream.empty();
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private DataSource recordingDataSource() {
        return LoginAttempts.stub(DataSource.class, (method, args) -> switch (method) {
            case "getConnection" ->
                LoginAttempts.stub(Connection.class, (m, a) -> switch (m) {
                    case "prepareStatement" -> statement();
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(m);
                });
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private PreparedStatement statement() {
        Map<Integer, String> values = new TreeMap<>();
        return LoginAttempts.stub(PreparedStatement.class, (method, args) -> switch (method) {
            case "setString" -> values.put((Integer) args[0], (String) args[1]);
            case "executeUpdate" -> {
                auditRows.add(values);
                yield 1;
            }
            case "close" -> null;
            default -> throw new UnsupportedOperationException(method);
        });
    }
}
