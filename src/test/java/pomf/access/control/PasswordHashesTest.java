package pomf.access.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PasswordHashesTest {
    private final PasswordHashes hashes = new PasswordHashes(1000);

    @Test
    void theRightPasswordMatchesAndOthersDoNot() {
        String stored = hashes.hash("correct horse battery staple");
        assertThat(hashes.matches("correct horse battery staple", stored)).isTrue();
        assertThat(hashes.matches("correct horse battery stapler", stored)).isFalse();
        assertThat(hashes.matches("", stored)).isFalse();
    }

    @Test
    void hashesAreSaltedAndCarryTheirCost() {
        String a = hashes.hash("same password");
        String b = hashes.hash("same password");
        assertThat(a).isNotEqualTo(b).startsWith("PBKDF2WithHmacSHA256:1000:");
        assertThat(a.split(":")).hasSize(4);
    }

    @Test
    void aHashMadeWithFewerIterationsStillMatchesButIsOutdated() {
        String old = hashes.hash("password");
        PasswordHashes stronger = new PasswordHashes(2000);
        assertThat(stronger.matches("password", old)).isTrue();
        assertThat(stronger.outdated(old)).isTrue();
        assertThat(stronger.outdated(stronger.hash("password"))).isFalse();
    }

    @Test
    void malformedStoredHashesNeverMatch() {
        for (String stored : new String[] {
            null,
            "",
            "plain",
            "PBKDF2WithHmacSHA256:1000:salt",
            "MD5:1000:AAAA:AAAA",
            "PBKDF2WithHmacSHA256:x:AAAA:AAAA",
            "PBKDF2WithHmacSHA256:1000:!!!:AAAA",
            "PBKDF2WithHmacSHA256:0:AAAA:AAAA",
            "PBKDF2WithHmacSHA256:1000:AAAA:"
        }) {
            assertThat(hashes.matches("password", stored))
                    .as(String.valueOf(stored))
                    .isFalse();
        }
    }

    @Test
    void tooFewIterationsAreRefused() {
        assertThatThrownBy(() -> new PasswordHashes(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lockoutIsFreeForTyposThenDoublesUpToItsCeiling() {
        Lockout lockout = new Lockout(5, Duration.ofSeconds(30), Duration.ofMinutes(15));
        assertThat(lockout.after(1)).isZero();
        assertThat(lockout.after(5)).isZero();
        assertThat(lockout.after(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(lockout.after(7)).isEqualTo(Duration.ofSeconds(60));
        assertThat(lockout.after(9)).isEqualTo(Duration.ofSeconds(240));
        assertThat(lockout.after(11)).isEqualTo(Duration.ofMinutes(15));
        assertThat(lockout.after(1000)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void credentialsAreChecked() {
        assertThat(Credentials.usernameProblem("alice")).isNull();
        assertThat(Credentials.usernameProblem("a b")).isNotNull();
        assertThat(Credentials.usernameProblem("<script>")).isNotNull();
        assertThat(Credentials.usernameProblem("")).isNotNull();
        assertThat(Credentials.passwordProblem("short")).isNotNull();
        assertThat(Credentials.passwordProblem("twelve chars")).isNull();
        assertThat(Credentials.passwordProblem("x".repeat(1025))).isNotNull();
        String generated = Credentials.generatePassword();
        assertThat(generated).hasSize(20).matches("[a-km-zA-HJ-NP-Z2-9]{20}");
        assertThat(Credentials.generatePassword()).isNotEqualTo(generated);
    }
}
