package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pomf.upload.control.Multiparts.readAll;
import static pomf.upload.control.Multiparts.utf8;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class PartHeadersTest {

    private static PartHeaders parse(String block) {
        return PartHeaders.parse(utf8(block));
    }

    private static String filename(String disposition) {
        return parse("Content-Disposition: " + disposition).filename();
    }

    @Test
    void fileFieldHasNameFilenameAndDeclaredType() {
        PartHeaders headers = parse("Content-Disposition: form-data; name=\"files[]\"; filename=\"cat.jpg\"\r\n"
                + "Content-Type: image/jpeg");

        assertThat(headers).isEqualTo(new PartHeaders("files[]", "cat.jpg", "image/jpeg"));
        assertThat(headers.isFile()).isTrue();
    }

    @Test
    void plainFieldIsNotAFile() {
        PartHeaders headers = parse("Content-Disposition: form-data; name=\"expiry\"");

        assertThat(headers.isFile()).isFalse();
        assertThat(headers.filename()).isNull();
        assertThat(headers.contentType()).isNull();
    }

    @Test
    void emptyFilenameIsStillAFilePart() {
        assertThat(parse("Content-Disposition: form-data; name=\"files[]\"; filename=\"\"")
                        .filename())
                .isEmpty();
    }

    @Test
    void headerNamesAreCaseInsensitiveAndUnknownHeadersIgnored() {
        PartHeaders headers = parse("X-Other: 1\r\ncontent-disposition:form-data;name=a;filename=b.txt\r\n"
                + "CONTENT-TYPE:  text/plain  \r\nnot a header line");

        assertThat(headers).isEqualTo(new PartHeaders("a", "b.txt", "text/plain"));
    }

    @Test
    void escapedQuotesInAFilenameAreUnescaped() {
        assertThat(filename("form-data; name=\"f\"; filename=\"say \\\"hi\\\".txt\""))
                .isEqualTo("say \"hi\".txt");
    }

    @Test
    void semicolonsAndEqualsSignsInsideQuotesAreData() {
        assertThat(filename("form-data; name=\"f\"; filename=\"a;b=c.txt\"")).isEqualTo("a;b=c.txt");
    }

    @Test
    void windowsPathsKeepTheirBackslashes() {
        assertThat(filename("form-data; name=\"f\"; filename=\"C:\\Users\\me\\a.txt\""))
                .isEqualTo("C:\\Users\\me\\a.txt");
    }

    @Test
    void extendedFilenameIsPercentDecodedAsUtf8AndWinsOverThePlainOne() {
        assertThat(filename(
                        "form-data; name=\"f\"; filename=\"fallback.txt\"; filename*=UTF-8''%E2%82%AC%20rates+tax.txt"))
                .isEqualTo("€ rates+tax.txt");
        assertThat(filename("form-data; name=\"f\"; filename*=utf-8'en'na%C3%AFve.txt"))
                .isEqualTo("naïve.txt");
    }

    @Test
    void malformedPercentEncodingKeepsTheRawValue() {
        assertThat(filename("form-data; name=\"f\"; filename*=UTF-8''100%.txt")).isEqualTo("100%.txt");
    }

    @Test
    void utf8FilenamesAreDecodedFromTheRawBytes() throws IOException {
        String name = "日本語 ファイル 😀.png";
        byte[] body = new Multiparts.Builder("b")
                .file("files[]", name, utf8("x"))
                .close()
                .build();

        assertThat(readAll(body, "b"))
                .singleElement()
                .extracting(p -> p.headers().filename())
                .isEqualTo(name);
    }

    @Test
    void firstOccurrenceOfARepeatedParameterWins() {
        assertThat(filename("form-data; name=\"f\"; filename=\"first.txt\"; filename=\"second.exe\""))
                .isEqualTo("first.txt");
    }

    @Test
    void missingContentDispositionIsMalformed() {
        assertThatThrownBy(() -> parse("Content-Type: text/plain")).isInstanceOf(MalformedMultipartException.class);
    }

    @Test
    void boundaryIsReadUnquoted() {
        assertThat(PartHeaders.boundaryOf("multipart/form-data; boundary=----WebKitFormBoundaryAbC123"))
                .isEqualTo("----WebKitFormBoundaryAbC123");
        assertThat(PartHeaders.boundaryOf("multipart/form-data;boundary=abc; charset=UTF-8"))
                .isEqualTo("abc");
        assertThat(PartHeaders.boundaryOf("multipart/form-data; BOUNDARY=abc ")).isEqualTo("abc");
    }

    @Test
    void boundaryIsReadQuoted() {
        assertThat(PartHeaders.boundaryOf("multipart/form-data; boundary=\"a b;c=d\""))
                .isEqualTo("a b;c=d");
        assertThat(PartHeaders.boundaryOf("multipart/form-data; charset=UTF-8; boundary=\"xyz\""))
                .isEqualTo("xyz");
    }

    @Test
    void missingEmptyOrOverlongBoundaryIsNull() {
        assertThat(PartHeaders.boundaryOf("multipart/form-data")).isNull();
        assertThat(PartHeaders.boundaryOf("multipart/form-data; charset=UTF-8")).isNull();
        assertThat(PartHeaders.boundaryOf("multipart/form-data; boundary=")).isNull();
        assertThat(PartHeaders.boundaryOf("multipart/form-data; boundary=\"\"")).isNull();
        assertThat(PartHeaders.boundaryOf("multipart/form-data; boundary=" + "x".repeat(71)))
                .isNull();
        assertThat(PartHeaders.boundaryOf("multipart/form-data; boundary=" + "x".repeat(70)))
                .hasSize(70);
    }

    @Test
    void aParameterWithoutValueDoesNotSwallowTheNext() {
        assertThat(PartHeaders.parameters("form-data; foo; name=\"files[]\"; filename=\"a.txt\""))
                .containsEntry("name", "files[]")
                .containsEntry("filename", "a.txt");
    }
}
