package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.upload.control.Multiparts.ascii;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pomf's libmagic refused about 1 random file in 100; the default block policy must refuse none. */
class ContentTypesFalsePositiveTest {

    private static boolean accepted(byte[] bytes) {
        return UploadPolicyTest.POMF.acceptsType(ContentTypes.namesOf(ContentTypes.detect(bytes)));
    }

    @Test
    void randomBytesAreNeverRefusedByTheDefaultBlockPolicy() {
        Random random = new Random(0x5EED_F00DL);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(4096)];
            random.nextBytes(bytes);
            if (!accepted(bytes)) {
                refused.add(i + ": " + ContentTypes.detect(bytes));
            }
        }

        assertThat(refused)
                .as(
                        "%d refused, the first: %s",
                        refused.size(), refused.stream().limit(5).toList())
                .isEmpty();
    }

    @Test
    void randomBytesThatHappenToStartWithMzAreRarelyTakenForExecutables() {
        // "MZ" alone matches 1 random file in 65,536. The DOS header fields must also agree with each other, which
        // about 1 random header in 130 does (the last-page field alone is under 512 once in 128): in all, about one
        // random file in ten million. Before the header check every one of these was refused.
        Random random = new Random(65_536);
        int refused = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[2 + random.nextInt(4096)];
            random.nextBytes(bytes);
            bytes[0] = 'M';
            bytes[1] = 'Z';
            if (!accepted(bytes)) {
                refused++;
            }
        }

        assertThat(refused).isLessThan(2_000 / 50);
    }

    @Test
    void shortRandomBytesAfterMzAreNeverExecutables() {
        // Under 28 bytes there is no DOS header at all.
        Random random = new Random(28);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = new byte[2 + random.nextInt(26)];
            random.nextBytes(bytes);
            bytes[0] = 'M';
            bytes[1] = 'Z';

            assertThat(accepted(bytes))
                    .as("%s", java.util.HexFormat.of().formatHex(bytes))
                    .isTrue();
        }
    }

    @Test
    void textThatStartsWithMzIsText() {
        byte[] notes = ascii("MZ-80K service manual, chapter 1\nThe Sharp MZ-80K is a home computer.\n");

        assertThat(ContentTypes.detect(notes)).isEqualTo("text/plain");
        assertThat(accepted(notes)).isTrue();
        assertThat(accepted(ascii("MZ"))).isTrue();
    }
}
