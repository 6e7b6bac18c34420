package pomf.names.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The client's file name kept as data: clean, bounded, never a path. */
class FileNamesOriginalNameTest {

    @Test
    void nullBecomesEmpty() {
        assertThat(FileNames.originalName(null)).isEmpty();
    }

    @Test
    void ordinaryNamesAreKeptAsGiven() {
        assertThat(FileNames.originalName("My Holiday (2).JPG")).isEqualTo("My Holiday (2).JPG");
        assertThat(FileNames.originalName("日本語 ファイル 😀.png")).isEqualTo("日本語 ファイル 😀.png");
        assertThat(FileNames.originalName("../../etc/passwd")).isEqualTo("../../etc/passwd");
    }

    @Test
    void nulAndControlCharactersAreRemoved() {
        assertThat(FileNames.originalName("a\u0000b\r\nc\td\u001b[31me\u007f\u0085f.txt"))
                .isEqualTo("abcd[31mef.txt");
    }

    @Test
    void invisibleFormatCharactersSuchAsBidiOverridesAreRemoved() {
        // "exe.txt" shown reversed by U+202E would read as "txt.exe"; zero-width and BOM characters hide too.
        assertThat(FileNames.originalName("invoice\u202Etxt.exe")).isEqualTo("invoicetxt.exe");
        assertThat(FileNames.originalName("a\u200Bb\uFEFFc\u2066d")).isEqualTo("abcd");
    }

    @Test
    void unpairedSurrogatesAreRemovedAndPairsKept() {
        assertThat(FileNames.originalName("a\uD800b\uDC00c\uD83D\uDE00")).isEqualTo("abc\uD83D\uDE00");
    }

    @Test
    void surroundingWhitespaceIsStripped() {
        assertThat(FileNames.originalName("  \u3000 name.txt \u2003 ")).isEqualTo("name.txt");
    }

    @Test
    void longNamesAreTruncatedToTwoHundredFiftyFiveCodePoints() {
        assertThat(FileNames.originalName("a".repeat(1000))).hasSize(FileNames.MAX_ORIGINAL_LENGTH);
        assertThat(FileNames.originalName("b".repeat(255))).isEqualTo("b".repeat(255));
    }

    @Test
    void truncationCountsCodePointsNotCharsAndNeverSplitsAPair() {
        String emoji = "\uD83D\uDE00";
        String truncated = FileNames.originalName(emoji.repeat(300));

        assertThat(truncated.codePointCount(0, truncated.length())).isEqualTo(255);
        assertThat(truncated).isEqualTo(emoji.repeat(255));
    }

    @Test
    void removedCharactersDoNotCountTowardsTheLimit() {
        String name = "\u0000".repeat(100) + "c".repeat(255) + "tail";

        assertThat(FileNames.originalName(name)).isEqualTo("c".repeat(255));
    }

    @Test
    void baseNameAndExtensionsWorkOnTheCleanedName() {
        assertThat(FileNames.baseName("dir/\u0000sub\u202E/a.txt")).isEqualTo("a.txt");
        assertThat(FileNames.extension("a.t\u0000xt")).isEqualTo("txt");
        assertThat(FileNames.extension("a.tar.g\u200Bz")).isEqualTo("tar.gz");
    }
}
