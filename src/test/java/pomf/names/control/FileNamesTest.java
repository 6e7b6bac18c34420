package pomf.names.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stored names and the extensions they keep. */
class FileNamesTest {
    /** What the file servlet accepts as a stored name: a stored name must always be servable. */
    private static final Pattern SERVABLE = Pattern.compile("[A-Za-z0-9]{1,40}(\\.[A-Za-z0-9]{1,12}){0,2}");

    @Test
    void alphabetHasNoLookAlikes() {
        assertThat(FileNames.ALPHABET).doesNotContain("0", "O", "o", "1", "l", "I");
        assertThat(FileNames.ALPHABET.chars().distinct().count()).isEqualTo(FileNames.ALPHABET.length());
        assertThat(FileNames.ALPHABET).matches("[a-zA-Z0-9]+").hasSize(26 + 26 + 10 - 6);
    }

    @Test
    void storedNamesAreEightRandomCharactersOfTheAlphabet() {
        Set<String> seen = new HashSet<>();
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            String name = FileNames.storedName("photo.jpg");
            String random = name.substring(0, name.length() - ".jpg".length());
            assertThat(name).endsWith(".jpg");
            assertThat(random).hasSize(FileNames.RANDOM_LENGTH).matches("[" + FileNames.ALPHABET + "]{8}");
            seen.add(random);
            random.chars().forEach(c -> used.add((char) c));
        }
        assertThat(seen).hasSize(5000);
        assertThat(used).hasSize(FileNames.ALPHABET.length());
    }

    @Test
    void nameWithoutExtensionHasNoDot() {
        assertThat(FileNames.storedName("README")).matches("[" + FileNames.ALPHABET + "]{8}");
        assertThat(FileNames.storedName("")).hasSize(8).doesNotContain(".");
        assertThat(FileNames.storedName(null)).hasSize(8).doesNotContain(".");
    }

    @ParameterizedTest(name = "{0} keeps \"{1}\"")
    @CsvSource(
            delimiter = '|',
            emptyValue = "",
            value = {
                "photo.jpg|jpg",
                "PHOTO.JPG|JPG",
                "Photo.JpEg|JpEg",
                "archive.tar.gz|tar.gz",
                "my.backup.tar.gz|tar.gz",
                "a.b.c.d.tar.bz2|tar.bz2",
                "linux.TAR.XZ|TAR.XZ",
                "data.tar.zst|tar.zst",
                "script.user.js|user.js",
                "my.cool.script.user.js|user.js",
                "notes.gz|gz",
                "x.tar|tar",
                "a.b.c|c",
                "README|''",
                "trailing.|''",
                ".bashrc|''",
                ".hidden.txt|txt",
                "a.j-pg|''",
                "a.jp g|''",
                "a.jpg;.php|php",
                "a.abcdefghijkl|abcdefghijkl",
                "a.abcdefghijklm|''",
                "a.ü|''",
                "a.ｊｐｇ|''",
                "../../etc/passwd|''",
                "../../etc/shadow.bak|bak",
                "C:\\dir\\a.txt|txt",
                "C:\\dir.with.dots\\file|''",
                "dir.d/file|''",
                "..|''",
                "''|''",
            })
    void extensionIsKeptOnlyWhenSane(String original, String expected) {
        assertThat(FileNames.extension(original)).isEqualTo(expected);
        String stored = FileNames.storedName(original);
        assertThat(stored).isEqualTo(stored.substring(0, 8) + (expected.isEmpty() ? "" : "." + expected));
        assertThat(stored).matches(SERVABLE);
    }

    @Test
    void extensionWithANonAsciiLetterIsDroppedEvenWhenItLowerCasesToAscii() {
        // U+212A KELVIN SIGN lower-cases to an ASCII 'k': the stored name must still be [a-zA-Z0-9] only.
        assertThat(FileNames.extension("app.ap\u212A")).isEmpty();
        assertThat(FileNames.extension("photo.\u212A")).isEmpty();
        assertThat(FileNames.storedName("app.ap\u212A")).matches(SERVABLE);
    }

    @Test
    void onlyTheLastPathSegmentCounts() {
        assertThat(FileNames.baseName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.baseName("C:\\dir\\a.txt")).isEqualTo("a.txt");
        assertThat(FileNames.baseName("/abs/mixed\\seps/f.tar.gz")).isEqualTo("f.tar.gz");
        assertThat(FileNames.baseName("dir/")).isEmpty();
    }

    @ParameterizedTest(name = "{0} is seen as \"{1}\"")
    @CsvSource(
            delimiter = '|',
            emptyValue = "",
            value = {
                "'evil.exe. '|exe",
                "evil.exe...|exe",
                "'evil.EXE . . '|exe",
                "evil.exe\u0000.jpg|jpg",
                "archive.tar.gz|gz",
                "C:\\x\\run.Bat|bat",
                "noext|''",
                ".bashrc|bashrc",
                "a.j-pg|j-pg",
            })
    void effectiveExtensionIsWhatTheOperatingSystemSees(String original, String expected) {
        assertThat(FileNames.effectiveExtension(original)).isEqualTo(expected);
    }

    @Test
    void theRandomPartHasTheLengthAskedForWithinItsBounds() {
        assertThat(FileNames.storedName("clip.mp4", 12)).matches("[" + FileNames.ALPHABET + "]{12}\\.mp4");
        assertThat(FileNames.storedName("x", FileNames.MAX_RANDOM_LENGTH)).hasSize(FileNames.MAX_RANDOM_LENGTH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileNames.storedName("x", 5))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileNames.storedName("x", 25))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
