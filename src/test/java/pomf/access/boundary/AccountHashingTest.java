package pomf.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import pomf.access.control.AccessSettings;
import pomf.access.control.AccessSqls;
import pomf.access.entity.AdminAccount;
import pomf.it.deployments.ConfigInjection;
import pomf.problem.entity.ProblemException;

/**
 * Creating accounts and changing passwords hash in a slot of their own: with a single slot they still work (a
 * slot taken twice by one caller would wait for itself). The database is a stand-in holding the accounts in a list.
 */
class AccountHashingTest {
    private static final String PASSWORD = "a long enough password";

    private final AccessSettings settings = ConfigInjection.inject(
            new AccessSettings(), Map.of("pomf.admin.hash-concurrency", "1", "pomf.admin.pbkdf2-iterations", "1000"));
    private final List<AdminAccount> table = new ArrayList<>();
    private final AdminAccounts accounts = new AdminAccounts();

    AccountHashingTest() {
        accounts.settings = settings;
        accounts.em = LoginAttempts.stub(EntityManager.class, (method, args) -> switch (method) {
            case "persist" -> table.add((AdminAccount) args[0]);
            case "createNativeQuery" -> LoginAttempts.stub(Query.class, (m, a) -> 1);
            case "createNamedQuery" -> query((String) args[0]);
            default -> throw new UnsupportedOperationException(method);
        });
        accounts.sql = AccessSqls.over(accounts.em, null);
    }

    private TypedQuery<?> query(String name) {
        return LoginAttempts.stub(TypedQuery.class, (method, args) -> switch (method) {
            case "setParameter", "setLockMode" -> query(name);
            case "getSingleResult" -> (long) table.size();
            case "getResultStream" -> Stream.of(table.toArray());
            default -> throw new UnsupportedOperationException(method);
        });
    }

    @Test
    void theFirstAdministratorIsCreatedAndOnlyOnce() {
        assertThat(accounts.createFirst("admin", PASSWORD)).isTrue();
        assertThat(accounts.createFirst("other", PASSWORD)).isFalse();

        assertThat(table).singleElement().satisfies(a -> {
            assertThat(a.getUsername()).isEqualTo("admin");
            assertThat(settings.hashes().matches(PASSWORD, a.getPasswordHash())).isTrue();
        });
    }

    @Test
    void aPasswordIsChangedWithTheRightCurrentOne() {
        accounts.createFirst("admin", PASSWORD);

        accounts.changePassword("admin", PASSWORD, "another long password");

        assertThat(settings.hashes()
                        .matches("another long password", table.get(0).getPasswordHash()))
                .isTrue();
    }

    @Test
    void aWrongCurrentPasswordChangesNothingAndGivesTheSlotBack() {
        accounts.createFirst("admin", PASSWORD);
        String before = table.get(0).getPasswordHash();

        assertThatThrownBy(() -> accounts.changePassword("admin", "not the password", "another long password"))
                .isInstanceOf(ProblemException.class)
                .hasMessage("The current password is wrong.");
        assertThat(table.get(0).getPasswordHash()).isEqualTo(before);
        accounts.changePassword("admin", PASSWORD, "another long password");
    }
}
