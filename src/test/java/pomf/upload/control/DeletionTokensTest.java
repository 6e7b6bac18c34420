package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeletionTokensTest {
    @Test
    void aNewTokenIs32UrlSafeCharactersAndNeverRepeats() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String token = DeletionTokens.next();
            assertThat(token).hasSize(32).matches("[A-Za-z0-9_-]{32}");
            assertThat(DeletionTokens.wellFormed(token)).isTrue();
            assertThat(seen.add(token)).as("repeated token %s", token).isTrue();
        }
    }

    @Test
    void onlyATokensFormReachesTheRegistry() {
        assertThat(DeletionTokens.wellFormed(null)).isFalse();
        assertThat(DeletionTokens.wellFormed("")).isFalse();
        assertThat(DeletionTokens.wellFormed("a".repeat(31))).isFalse();
        assertThat(DeletionTokens.wellFormed("a".repeat(33))).isFalse();
        assertThat(DeletionTokens.wellFormed("a".repeat(31) + "/")).isFalse();
        assertThat(DeletionTokens.wellFormed("a".repeat(31) + "=")).isFalse();
        assertThat(DeletionTokens.wellFormed("../../../../etc/passwd/aaaaaaaaa"))
                .isFalse();
        assertThat(DeletionTokens.wellFormed("a".repeat(31) + "\n")).isFalse();
    }

    @Test
    void theRegistryKeepsTheSha256OfTheTokenInHex() {
        // sha256("abc"), FIPS 180-2 appendix B.1
        assertThat(DeletionTokens.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String token = DeletionTokens.next();
        assertThat(DeletionTokens.hash(token)).hasSize(64).isEqualTo(DeletionTokens.hash(token));
        assertThat(DeletionTokens.hash(token)).isNotEqualTo(DeletionTokens.hash(DeletionTokens.next()));
    }
}
