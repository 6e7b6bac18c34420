package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import pomf.upload.entity.OutputFormat;
import pomf.upload.entity.UploadedFile;

/** Exact bodies of every output format, for success and for errors. */
class PomfReplyTest {
    private static final UploadedFile CAT = new UploadedFile(
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "cat.jpg",
            "https://f.example/abcdefgh.jpg",
            1234,
            "https://pomf.example/delete/tok1",
            null);
    private static final UploadedFile DOG = new UploadedFile(
            "0123456789abcdef0123456789abcdef01234567",
            "dog.png",
            "https://f.example/ABCDEFGH.png",
            0,
            "https://pomf.example/delete/tok2",
            LocalDateTime.of(2030, 1, 2, 3, 4, 5));

    @Test
    void jsonSuccessIsPomfsShapeWithDeleteUrlsAndExpiry() {
        assertThat(PomfReply.success(OutputFormat.JSON, List.of(CAT, DOG)))
                .isEqualTo(
                        "{\"success\":true,\"files\":["
                                + "{\"hash\":\"da39a3ee5e6b4b0d3255bfef95601890afd80709\",\"name\":\"cat.jpg\","
                                + "\"url\":\"https://f.example/abcdefgh.jpg\",\"size\":1234,"
                                + "\"delete_url\":\"https://pomf.example/delete/tok1\"},"
                                + "{\"hash\":\"0123456789abcdef0123456789abcdef01234567\",\"name\":\"dog.png\","
                                + "\"url\":\"https://f.example/ABCDEFGH.png\",\"size\":0,"
                                + "\"delete_url\":\"https://pomf.example/delete/tok2\",\"expires\":\"2030-01-02T03:04:05Z\"}]}");
    }

    @Test
    void jsonSuccessWithoutFilesHasAnEmptyList() {
        assertThat(PomfReply.success(OutputFormat.JSON, List.of())).isEqualTo("{\"success\":true,\"files\":[]}");
    }

    @Test
    void textAndGyazoSuccessAreOneUrlPerLine() {
        String expected = "https://f.example/abcdefgh.jpg\nhttps://f.example/ABCDEFGH.png\n";

        assertThat(PomfReply.success(OutputFormat.TEXT, List.of(CAT, DOG))).isEqualTo(expected);
        assertThat(PomfReply.success(OutputFormat.GYAZO, List.of(CAT, DOG))).isEqualTo(expected);
    }

    @Test
    void csvSuccessHasAHeaderAndOneQuotedRowPerFile() {
        assertThat(PomfReply.success(OutputFormat.CSV, List.of(CAT, DOG)))
                .isEqualTo(
                        "\"name\",\"url\",\"hash\",\"size\"\r\n"
                                + "\"cat.jpg\",\"https://f.example/abcdefgh.jpg\",\"da39a3ee5e6b4b0d3255bfef95601890afd80709\",\"1234\"\r\n"
                                + "\"dog.png\",\"https://f.example/ABCDEFGH.png\",\"0123456789abcdef0123456789abcdef01234567\",\"0\"\r\n");
    }

    @Test
    void htmlSuccessIsOneLinkPerFile() {
        assertThat(PomfReply.success(OutputFormat.HTML, List.of(CAT, DOG)))
                .isEqualTo("<a href=\"https://f.example/abcdefgh.jpg\">https://f.example/abcdefgh.jpg</a><br>"
                        + "<a href=\"https://f.example/ABCDEFGH.png\">https://f.example/ABCDEFGH.png</a><br>");
    }

    @Test
    void errorBodiesOfEveryFormat() {
        assertThat(PomfReply.error(OutputFormat.JSON, 415, "File type not allowed."))
                .isEqualTo("{\"success\":false,\"errorcode\":415,\"description\":\"File type not allowed.\"}");
        assertThat(PomfReply.error(OutputFormat.TEXT, 400, "No input file(s)"))
                .isEqualTo("ERROR: (400) No input file(s)");
        assertThat(PomfReply.error(OutputFormat.GYAZO, 413, "File too large."))
                .isEqualTo("ERROR: (413) File too large.");
        assertThat(PomfReply.error(OutputFormat.CSV, 400, "No input file(s)"))
                .isEqualTo("\"error\"\r\n\"No input file(s)\"\r\n");
        assertThat(PomfReply.error(OutputFormat.HTML, 429, "Slow down")).isEqualTo("<p>ERROR: (429) Slow down</p>");
    }

    @Test
    void errorDescriptionsAreEscapedForTheirFormat() {
        String nasty = "<b>\"bad\" & 'worse'</b>";

        assertThat(PomfReply.error(OutputFormat.JSON, 400, nasty))
                .isEqualTo("{\"success\":false,\"errorcode\":400,"
                        + "\"description\":\"\\u003cb\\u003e\\\"bad\\\" \\u0026 'worse'\\u003c/b\\u003e\"}");
        assertThat(PomfReply.error(OutputFormat.CSV, 400, nasty))
                .isEqualTo("\"error\"\r\n\"<b>\"\"bad\"\" & 'worse'</b>\"\r\n");
        assertThat(PomfReply.error(OutputFormat.HTML, 400, nasty))
                .isEqualTo("<p>ERROR: (400) &lt;b&gt;&quot;bad&quot; &amp; &#39;worse&#39;&lt;/b&gt;</p>");
    }

    @Test
    void namesAreEscapedInsideTheSuccessBodies() {
        UploadedFile weird = new UploadedFile(
                "h",
                "=cmd|' /C calc'!A0 \"q\".txt",
                "https://f.example/x\"><y.txt",
                1,
                "https://pomf.example/delete/t",
                null);

        assertThat(PomfReply.success(OutputFormat.JSON, List.of(weird)))
                .contains(
                        "\"name\":\"=cmd|' /C calc'!A0 \\\"q\\\".txt\"",
                        "\"url\":\"https://f.example/x\\\"\\u003e\\u003cy.txt\"");
        assertThat(PomfReply.success(OutputFormat.CSV, List.of(weird)))
                .endsWith(
                        "\r\n\"'=cmd|' /C calc'!A0 \"\"q\"\".txt\",\"https://f.example/x\"\"><y.txt\",\"h\",\"1\"\r\n");
        assertThat(PomfReply.success(OutputFormat.HTML, List.of(weird)))
                .isEqualTo(
                        "<a href=\"https://f.example/x&quot;&gt;&lt;y.txt\">https://f.example/x&quot;&gt;&lt;y.txt</a><br>");
    }

    @Test
    void expiryAlwaysCarriesSecondsInUtc() {
        UploadedFile file =
                new UploadedFile("h", "n", "u", 1, "d", java.time.LocalDateTime.of(2030, 1, 2, 3, 4, 0, 999));
        assertThat(PomfReply.success(pomf.upload.entity.OutputFormat.JSON, java.util.List.of(file)))
                .contains("\"expires\":\"2030-01-02T03:04:00Z\"");
    }
}
