package pomf.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import pomf.problem.entity.ProblemException;

/**
 * The rule for an account's name, 1 to 64 of letters, digits, {@code . _ - @}, holds where accounts are made: a
 * refused name is a 400 that says the rule, before any hash or database work (the stand-in has no database).
 */
class AccountNamesTest {
    private final AdminAccounts accounts = new AdminAccounts();

    @Test
    void namesOutsideTheRuleAreRefusedWithTheRule() {
        for (String name : new String[] {"", "alice\nINFO forged", "a".repeat(65), "al ice", "ålice", "alice\u2028"}) {
            assertThatThrownBy(() -> accounts.create(name, "a long enough password"))
                    .as(name)
                    .isInstanceOfSatisfying(
                            ProblemException.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessage("A user name is 1 to 64 letters, digits, dots, underscores, @ or hyphens.");
        }
    }
}
