package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The three escapers on their own. */
class PomfReplyEscapingTest {

    @Test
    void jsonEscapesQuotesAndBackslashes() {
        assertThat(PomfReply.json("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(PomfReply.json("C:\\dir\\a.txt")).isEqualTo("\"C:\\\\dir\\\\a.txt\"");
        assertThat(PomfReply.json("")).isEqualTo("\"\"");
    }

    @Test
    void jsonEscapesEveryControlCharacter() {
        assertThat(PomfReply.json("\n\r\t")).isEqualTo("\"\\n\\r\\t\"");
        assertThat(PomfReply.json("\u0000\u0001\b\f\u001f")).isEqualTo("\"\\u0000\\u0001\\u0008\\u000c\\u001f\"");
        assertThat(PomfReply.json("\u007f")).isEqualTo("\"\u007f\"");
    }

    @Test
    void jsonEscapesMarkupCharactersSoItCannotCloseAScriptBlock() {
        assertThat(PomfReply.json("</script><!--&")).isEqualTo("\"\\u003c/script\\u003e\\u003c!--\\u0026\"");
    }

    @Test
    void jsonEscapesTheJavaScriptLineTerminators() {
        assertThat(PomfReply.json("a\u2028b\u2029c")).isEqualTo("\"a\\u2028b\\u2029c\"");
    }

    @Test
    void jsonKeepsOtherUnicodeAsIs() {
        assertThat(PomfReply.json("日本語 😀 é")).isEqualTo("\"日本語 😀 é\"");
    }

    @Test
    void jsonOfAnyStringParsesBackToTheSameString() {
        Random random = new Random(2028);
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(40);
            for (int k = 0; k < length; k++) {
                s.append(random.nextBoolean() ? (char) random.nextInt(0x80) : (char) random.nextInt(0xD800));
            }
            String value = s.toString();
            try (JsonReader reader = Json.createReader(new StringReader("[" + PomfReply.json(value) + "]"))) {
                assertThat(reader.readArray().getString(0)).isEqualTo(value);
            }
        }
    }

    @Test
    void htmlEscapesTheFiveSpecialCharacters() {
        assertThat(PomfReply.html("<a href=\"x\" onclick='y'>&amp;</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
        assertThat(PomfReply.html("plain text é")).isEqualTo("plain text é");
    }
}
