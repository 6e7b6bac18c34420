package pomf.untrusted.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {

    @Test
    void ordinaryTextComesBackAsItIs() {
        assertThat(UntrustedText.neutral("alice.admin@example-1")).isEqualTo("alice.admin@example-1");
        assertThat(UntrustedText.neutral("2001:db8::1")).isEqualTo("2001:db8::1");
        assertThat(UntrustedText.neutral("Zoë 東京 😀", 500)).isEqualTo("Zoë 東京 😀");
        assertThat(UntrustedText.neutral(null)).isEmpty();
    }

    @Test
    void aForgedLogLineStaysOnItsLine() {
        assertThat(UntrustedText.neutral("alice\n2026-12-04 INFO forged")).isEqualTo("alice\\n2026-12-04 INFO forged");
        assertThat(UntrustedText.neutral("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
    }

    @Test
    void otherControlsSeparatorsAndFormatCharactersAreEscaped() {
        assertThat(UntrustedText.neutral("a\u2028b\u2029c\u0085d\u001be\u0000f\u007fg"))
                .isEqualTo("a\\u2028b\\u2029c\\u0085d\\u001be\\u0000f\\u007fg");
        // A bidi override would show a line's end before its start; a zero-width space hides in a name.
        assertThat(UntrustedText.neutral("x\u202ey\u200bz")).isEqualTo("x\\u202ey\\u200bz");
        assertThat(UntrustedText.neutral("lone \ud800 surrogate")).isEqualTo("lone \\ud800 surrogate");
    }

    @Test
    void aBackslashIsDoubledSoEscapesAreUnambiguous() {
        assertThat(UntrustedText.neutral("typed \\n, not a line feed")).isEqualTo("typed \\\\n, not a line feed");
    }

    @Test
    void longTextIsCutAtTheLimitAndMarked() {
        assertThat(UntrustedText.neutral("x".repeat(64))).isEqualTo("x".repeat(64));
        assertThat(UntrustedText.neutral("x".repeat(10_000))).isEqualTo("x".repeat(64) + UntrustedText.CUT);
        assertThat(UntrustedText.neutral("y".repeat(600), 500)).hasSize(501).endsWith("…");
    }

    @Test
    void escapesCountTowardsTheLimitAndAreNeverSplit() {
        String cut = UntrustedText.neutral("\n".repeat(100));

        assertThat(cut).isEqualTo("\\n".repeat(32) + UntrustedText.CUT);
        assertThat(UntrustedText.neutral("x".repeat(60) + "\u2028tail")).isEqualTo("x".repeat(60) + "…");
        assertThat(UntrustedText.neutral("x".repeat(63) + "😀")).isEqualTo("x".repeat(63) + "…");
    }
}
