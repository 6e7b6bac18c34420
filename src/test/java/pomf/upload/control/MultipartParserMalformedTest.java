package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pomf.upload.control.Multiparts.ascii;
import static pomf.upload.control.Multiparts.readAll;

import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class MultipartParserMalformedTest {
    private static final String B = "boundary42";
    private static final String HEAD =
            "--" + B + "\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"a\"\r\n\r\n";

    @Test
    void bodyWithoutClosingDelimiterIsTruncated() {
        byte[] body = ascii(HEAD + "some bytes and then the connection ends");

        assertThatThrownBy(() -> readAll(body, B))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void bodyEndingInsideAPartialDelimiterIsTruncated() {
        assertThatThrownBy(() -> readAll(ascii(HEAD + "data\r\n--" + B.substring(0, 4)), B))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void truncationIsReportedEvenWhenTheHandlerIgnoresTheBody() {
        MultipartParser parser = new MultipartParser(B, new Multiparts.Collector());
        byte[] body = ascii(HEAD + "unread");
        Multiparts.feedAll(parser, body, 0, body.length);

        assertThatThrownBy(parser::end)
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void bodyEndingRightAfterADelimiterIsMalformed() {
        assertThatThrownBy(() -> readAll(ascii(HEAD + "data\r\n--" + B), B))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("ends after a boundary");
    }

    @Test
    void wrongBoundaryFindsNoPartAndFails() {
        byte[] body = new Multiparts.Builder(B).field("a", "1").close().build();

        assertThatThrownBy(() -> readAll(body, "another-boundary")).isInstanceOf(MalformedMultipartException.class);
    }

    @Test
    void boundaryThatIsOnlyAPrefixOfTheRealOneIsNotFollowedByALineBreak() {
        byte[] body = new Multiparts.Builder(B).field("a", "1").close().build();

        assertThatThrownBy(() -> readAll(body, B.substring(0, 5)))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("line break");
    }

    @Test
    void headersOverSixteenKibibytesAreRefused() {
        String longHeader = "X-Padding: " + "a".repeat(MultipartParser.MAX_HEADER_BYTES) + "\r\n";
        byte[] body = new Multiparts.Builder(B)
                .part("Content-Disposition: form-data; name=\"a\"\r\n" + longHeader, ascii("1"))
                .close()
                .build();

        assertThatThrownBy(() -> readAll(new Multiparts.Sliced(body, new Random(1), 1, 5000), B, 100))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void endlessHeadersWithoutABlankLineAreRefusedBeforeTheStreamEnds() {
        byte[] endless = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(endless, (byte) 'h');
        byte[] start = ascii("--" + B + "\r\n");
        System.arraycopy(start, 0, endless, 0, start.length);

        assertThatThrownBy(() -> readAll(endless, B)).hasMessageContaining("too large");
    }

    @Test
    void headersJustUnderTheLimitAreAccepted() throws IOException {
        String disposition = "Content-Disposition: form-data; name=\"a\"\r\n";
        String padding =
                "X-Padding: " + "a".repeat(MultipartParser.MAX_HEADER_BYTES - disposition.length() - 13) + "\r\n";
        byte[] body = new Multiparts.Builder(B)
                .part(disposition + padding, ascii("1"))
                .close()
                .build();

        assertThat(readAll(body, B)).extracting(Multiparts.Part::text).containsExactly("1");
    }

    @Test
    void bodyEndingInsideHeadersIsMalformed() {
        assertThatThrownBy(() -> readAll(ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n"), B))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("inside part headers");
    }

    @Test
    void delimiterFollowedByOtherCharactersIsMalformed() {
        assertThatThrownBy(() -> readAll(ascii("--" + B + "garbage\r\n\r\n"), B))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("line break");
    }

    @Test
    void partWithoutContentDispositionIsMalformed() {
        byte[] body = new Multiparts.Builder(B)
                .part("Content-Type: text/plain\r\n", ascii("x"))
                .close()
                .build();

        assertThatThrownBy(() -> readAll(body, B))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessageContaining("Content-Disposition");
    }

    @Test
    void emptyInputIsMalformed() {
        assertThatThrownBy(() -> readAll(new byte[0], B)).isInstanceOf(MalformedMultipartException.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void missingBoundaryIsRefusedUpFront(String boundary) {
        assertThatThrownBy(() -> new MultipartParser(boundary, new Multiparts.Collector()))
                .isInstanceOf(MalformedMultipartException.class);
    }

    @Test
    void boundaryLongerThanSeventyCharactersIsRefusedUpFront() {
        // RFC 2046: a boundary is 1 to 70 characters; longer ones only make the delimiter search slower.
        assertThatThrownBy(() -> new MultipartParser("b".repeat(71), new Multiparts.Collector()))
                .isInstanceOf(MalformedMultipartException.class)
                .hasMessage("The multipart boundary is missing or invalid.");
    }

    @Test
    void boundaryOfSeventyCharactersIsAccepted() throws IOException {
        String boundary = "b".repeat(70);
        byte[] body = new Multiparts.Builder(boundary).field("a", "1").close().build();

        assertThat(readAll(body, boundary)).extracting(Multiparts.Part::text).containsExactly("1");
    }
}
