package pomf.access.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class AdminAccountTest {
    private static final OffsetDateTime LOGIN = OffsetDateTime.parse("2026-11-01T10:00:00Z");

    @Test
    void aNewAccountHasNoFailuresNoLoginAndTheFirstCredentials() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);
        AdminAccount account = new AdminAccount("alice", "pbkdf2$1");

        assertThat(account.getUsername()).isEqualTo("alice");
        assertThat(account.getPasswordHash()).isEqualTo("pbkdf2$1");
        assertThat(account.getFailedLogins()).isZero();
        assertThat(account.getCredentialsVersion()).isZero();
        assertThat(account.getLastLoginAt()).isNull();
        assertThat(account.getCreatedAt().getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(account.getCreatedAt()).isBetween(before, OffsetDateTime.now(ZoneOffset.UTC));
    }

    @Test
    void failuresCountUntilALoginSucceeds() {
        AdminAccount account = new AdminAccount("alice", "pbkdf2$1");
        account.failed();
        account.failed();
        account.failed();
        assertThat(account.getFailedLogins()).isEqualTo(3);

        account.succeeded(LOGIN);

        assertThat(account.getFailedLogins()).isZero();
        assertThat(account.getLastLoginAt()).isEqualTo(LOGIN);
        assertThat(account.getCredentialsVersion())
                .as("a login ends no session")
                .isZero();
    }

    @Test
    void aNewPasswordEndsTheSessionsOfTheOldOne() {
        AdminAccount account = new AdminAccount("alice", "pbkdf2$1");
        account.failed();

        account.passwordChanged("pbkdf2$2");
        assertThat(account.getPasswordHash()).isEqualTo("pbkdf2$2");
        assertThat(account.getCredentialsVersion()).isEqualTo(1);
        assertThat(account.getFailedLogins()).isZero();

        account.passwordChanged("pbkdf2$3");
        assertThat(account.getCredentialsVersion()).isEqualTo(2);
    }

    @Test
    void theSamePasswordHashedAgainChangesNothingElse() {
        AdminAccount account = new AdminAccount("alice", "pbkdf2-100k$1");
        account.failed();
        account.succeeded(LOGIN.minus(1, ChronoUnit.DAYS));
        account.failed();

        account.rehashed("pbkdf2-600k$1");

        assertThat(account.getPasswordHash()).isEqualTo("pbkdf2-600k$1");
        assertThat(account.getCredentialsVersion()).as("sessions stay open").isZero();
        assertThat(account.getFailedLogins()).isEqualTo(1);
        assertThat(account.getLastLoginAt()).isEqualTo(LOGIN.minus(1, ChronoUnit.DAYS));
    }
}
