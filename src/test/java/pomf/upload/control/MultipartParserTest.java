package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.upload.control.Multiparts.ascii;
import static pomf.upload.control.Multiparts.readAll;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartParserTest {
    private static final String B = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

    @Test
    void readsSeveralPartsInOrderWithTheirHeaders() throws IOException {
        byte[] body = new Multiparts.Builder(B)
                .field("expiry", "1d")
                .file("files[]", "a.txt", ascii("first file"))
                .file("files[]", "b.png", ascii("second\r\nfile"))
                .close()
                .build();

        List<Multiparts.Part> parts = readAll(body, B);

        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).headers()).isEqualTo(new PartHeaders("expiry", null, null));
        assertThat(parts.get(0).text()).isEqualTo("1d");
        assertThat(parts.get(1).headers()).isEqualTo(new PartHeaders("files[]", "a.txt", "application/octet-stream"));
        assertThat(parts.get(1).text()).isEqualTo("first file");
        assertThat(parts.get(2).headers().filename()).isEqualTo("b.png");
        assertThat(parts.get(2).text()).isEqualTo("second\r\nfile");
    }

    @Test
    void partialDelimitersInsideABodyAreContent() throws IOException {
        String content = "\r\n--" + B.substring(0, B.length() - 1) + "X" + "\r\n-" + "\r\n--" + "\r\n--"
                + B.substring(0, 5) + "\r" + "\r\n--" + B.substring(0, B.length() - 1);
        assertOneFileReadsBack(content);
    }

    @Test
    void runsOfCarriageReturnsAndLineFeedsAreContent() throws IOException {
        String content = "\r\n\r\n\r\r\r\n\n\n\r\n--\r\n\r\n";
        byte[] body = new Multiparts.Builder(B)
                .file("files[]", "a", ascii(content))
                .file("files[]", "b", ascii("\r\n"))
                .close()
                .build();

        List<Multiparts.Part> parts = readAll(body, B);

        assertThat(parts).extracting(Multiparts.Part::text).containsExactly(content, "\r\n");
    }

    @Test
    void sameBoundaryInsideContentIsNotAPartEndWithoutALineBreakBeforeIt() throws IOException {
        String content = "--" + B + "\r\nx--" + B + "--\n--" + B + "\r--" + B;
        assertOneFileReadsBack(content);
    }

    @Test
    void preambleAndEpilogueAreIgnored() throws IOException {
        byte[] body = new Multiparts.Builder(B)
                .preamble(ascii("This is the preamble.\r\n--" + B.substring(1) + " is not a delimiter\r\n"))
                .field("a", "1")
                .close()
                .raw(ascii("\r\nThis is the epilogue.\r\n--" + B
                        + "\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2"))
                .build();

        assertThat(readAll(body, B)).singleElement().satisfies(p -> {
            assertThat(p.headers().name()).isEqualTo("a");
            assertThat(p.text()).isEqualTo("1");
        });
    }

    @Test
    void leadingLineBreakBeforeTheFirstDelimiterIsAPreamble() throws IOException {
        byte[] body = new Multiparts.Builder(B)
                .raw(ascii("\r\n"))
                .field("a", "1")
                .close()
                .build();

        assertThat(readAll(body, B)).extracting(Multiparts.Part::text).containsExactly("1");
    }

    @Test
    void emptyBodyPartIsReadAsNoBytes() throws IOException {
        byte[] body = new Multiparts.Builder(B)
                .file("files[]", "empty.txt", new byte[0])
                .field("b", "")
                .close()
                .build();

        assertThat(readAll(body, B)).extracting(p -> p.body().length).containsExactly(0, 0);
    }

    @Test
    void closingDelimiterWithoutAnyPartGivesNoParts() throws IOException {
        assertThat(readAll(ascii("--" + B + "--\r\n"), B)).isEmpty();
    }

    @Test
    void transportPaddingAfterADelimiterIsSkipped() throws IOException {
        byte[] body = ascii("--" + B + " \t \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" + B
                + "\t\r\n" + "Content-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--" + B + "--");

        assertThat(readAll(body, B)).extracting(Multiparts.Part::text).containsExactly("1", "2");
    }

    @Test
    void aPartWhoseBytesTheHandlerIgnoresDoesNotDisturbTheNextOneAndNothingFollowsTheEnd() {
        byte[] big = new byte[300_000];
        java.util.Arrays.fill(big, (byte) '\r');
        byte[] body = new Multiparts.Builder(B)
                .file("files[]", "big", big)
                .field("after", "yes")
                .close()
                .build();
        List<String> events = new java.util.ArrayList<>();
        long[] ignored = new long[1];
        MultipartParser parser = new MultipartParser(B, new MultipartParser.Handler() {
            @Override
            public void partStarted(PartHeaders headers) {
                events.add("start " + headers.name());
            }

            @Override
            public void partData(byte[] bytes, int offset, int length) {
                if (events.get(events.size() - 1).equals("start after")) {
                    events.add(new String(bytes, offset, length, java.nio.charset.StandardCharsets.US_ASCII));
                } else {
                    ignored[0] += length;
                }
            }

            @Override
            public void partEnded() {
                events.add("end");
            }
        });

        for (int offset = 0; offset < body.length; offset += 4096) {
            Multiparts.feedAll(parser, body, offset, Math.min(4096, body.length - offset));
        }

        assertThat(events).containsExactly("start files[]", "end", "start after", "yes", "end");
        assertThat(ignored[0]).isEqualTo(big.length);
        assertThat(parser.isFinished()).isTrue();
        byte[] more = ascii("\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"late\"\r\n\r\nx");
        assertThat(parser.feed(more, 0, more.length)).isEqualTo(more.length);
        parser.end();
        assertThat(events).hasSize(5);
    }

    @Test
    void delimiterFollowedByTwoDashesEndsTheBodyEvenWithoutATrailingLineBreak() throws IOException {
        byte[] body = ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--" + B + "--");

        assertThat(readAll(body, B)).extracting(Multiparts.Part::text).containsExactly("v");
    }

    /** A body of one file part with {@code content} reads back as that one part, byte for byte. */
    private static void assertOneFileReadsBack(String content) throws IOException {
        byte[] body = new Multiparts.Builder(B)
                .file("files[]", "a", ascii(content))
                .close()
                .build();
        assertThat(readAll(body, B))
                .singleElement()
                .extracting(Multiparts.Part::text)
                .isEqualTo(content);
    }
}
