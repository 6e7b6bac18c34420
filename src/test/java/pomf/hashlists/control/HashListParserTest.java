package pomf.hashlists.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashListParserTest {
    private static final String MD5 = "d41d8cd98f00b204e9800998ecf8427e";
    private static final String SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
    private static final String SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void oneHashPerLineInAnyCaseWithCommentsAndBlankLines() throws IOException {
        List<String> found = new ArrayList<>();
        HashListParser.Summary summary =
                parse("# a list\n" + MD5.toUpperCase() + "\r\n\n" + SHA1 + "\n   \n" + SHA256, found);
        assertThat(found).containsExactly(MD5, SHA1, SHA256);
        assertThat(summary.hashes()).isEqualTo(3);
        assertThat(summary.ignored()).isZero();
    }

    @Test
    void csvWithAHeaderTakesTheFirstFieldThatIsAHash() throws IOException {
        List<String> found = new ArrayList<>();
        HashListParser.Summary summary = parse(
                "id,sha256,note\n1,\"" + SHA256 + "\",found 2026\n2;" + SHA1 + ";x\n3,not a hash,x\n4," + "abc"
                        + SHA1.substring(3) + "z,x\n",
                found);
        assertThat(found).containsExactly(SHA256, SHA1);
        assertThat(summary.ignored())
                .as("the header is no ignored line, lines 4 and 5 are")
                .isEqualTo(2);
        assertThat(summary.firstIgnored()).containsExactly(4L, 5L);
    }

    @Test
    void hexOfOtherLengthsAndOverlongLinesAreIgnored() throws IOException {
        List<String> found = new ArrayList<>();
        HashListParser.Summary summary = parse(
                SHA256 + "\n" + SHA256 + "0\n" + "a".repeat(10_000) + "\n" + MD5.substring(1) + "\n" + MD5, found);
        assertThat(found).containsExactly(SHA256, MD5);
        assertThat(summary.firstIgnored()).containsExactly(2L, 3L, 4L);
    }

    @Test
    void anEmptyBodyHasNothing() throws IOException {
        List<String> found = new ArrayList<>();
        assertThat(parse("", found)).isEqualTo(new HashListParser.Summary(0, 0, List.of()));
    }

    private static HashListParser.Summary parse(String text, List<String> found) throws IOException {
        return HashListParser.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), found::add);
    }
}
