package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.upload.control.Multiparts.ascii;
import static pomf.upload.control.Multiparts.readAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Delimiters split across slices, at every position, and a randomized round trip of binary parts. */
class MultipartParserSlicingTest {
    private static final String BCHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=?";

    @Test
    void delimiterSplitAcrossReadsOfOneToSevenBytesIsFound() throws IOException {
        String boundary = "xyzzy";
        String tricky = "\r\n--xyzz\r\n--xyz\r\r\n-\r\n--xyzzX--xyzzy\r\n";
        byte[] body = new Multiparts.Builder(boundary)
                .file("files[]", "a", ascii(tricky))
                .field("b", "2")
                .close()
                .build();
        Random random = new Random(7);

        for (int i = 0; i < 200; i++) {
            List<Multiparts.Part> parts =
                    readAll(new Multiparts.Sliced(body, random, 1, 7), boundary, () -> 1 + random.nextInt(7));

            assertThat(parts).extracting(Multiparts.Part::text).containsExactly(tricky, "2");
        }
    }

    @Test
    void everyCutPositionOfTheBodyGivesTheSameParts() throws IOException {
        String boundary = "cut";
        byte[] body = new Multiparts.Builder(boundary)
                .file("files[]", "a", ascii("\r\n--cu\r\n--c"))
                .file("files[]", "b", ascii("x"))
                .close()
                .build();
        for (int cut = 1; cut < body.length; cut++) {
            byte[] whole = body;
            int at = cut;
            java.io.InputStream twoReads = new java.io.InputStream() {
                private int pos;

                @Override
                public int read() {
                    return pos < whole.length ? whole[pos++] & 0xff : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (pos >= whole.length) {
                        return -1;
                    }
                    int n = Math.min(len, (pos < at ? at : whole.length) - pos);
                    System.arraycopy(whole, pos, b, off, n);
                    pos += n;
                    return n;
                }
            };

            assertThat(readAll(twoReads, boundary, 4096))
                    .as("cut at %d", cut)
                    .extracting(Multiparts.Part::text)
                    .containsExactly("\r\n--cu\r\n--c", "x");
        }
    }

    @Test
    void everySplitIntoThreeSlicesGivesWhatTheWholeBodyGives() {
        byte[] body = ascii("preamble --cut\r\n--cu\r\n"
                + "--cut \t\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"a\"\r\n\r\n"
                + "\r\n--cu\r\r\n--c\r\n-\r\n--cuX--cut"
                + "\r\n--cut\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n"
                + "\r\n--cut\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n--cut--"
                + "\r\n--cut--\r\nepilogue \r\n--cut\r\n");
        List<String> whole = render(parse(body, body.length, body.length));
        assertThat(whole).hasSize(3);

        for (int first = 0; first <= body.length; first++) {
            for (int second = first; second <= body.length; second++) {
                assertThat(render(parse(body, first, second)))
                        .as("slices cut at %d and %d", first, second)
                        .isEqualTo(whole);
            }
        }
        assertThat(render(parseByteByByte(body))).isEqualTo(whole);
    }

    @Test
    void malformedBodiesFailWithTheSameMessageWhereverTheyAreCut() {
        String head = "--cut\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n";
        List<String> bodies = List.of(
                head + "data\r\n--cu",
                head + "data\r\n--cut",
                head + "data\r\n--cut-",
                head + "data\r\n--cut \r",
                head + "data\r\n--cut-x",
                head + "data\r\n--cut \tx\r\n",
                "--cut\r\nContent-Disposition: form-data; name=\"a\"\r\n",
                "--cut\r\nContent-Type: text/plain\r\n\r\nx\r\n--cut--",
                "no delimiter at all");
        for (String text : bodies) {
            byte[] body = ascii(text);
            String expected = failure(() -> parse(body, body.length, body.length));
            assertThat(expected).as(text).isNotNull();
            for (int cut = 0; cut <= body.length; cut++) {
                int at = cut;
                assertThat(failure(() -> parse(body, at, at)))
                        .as("%s cut at %d", text, cut)
                        .isEqualTo(expected);
            }
            assertThat(failure(() -> parseByteByByte(body))).isEqualTo(expected);
        }
    }

    @Test
    void bigChunksLargerThanTheReadersBufferGiveTheSameParts() throws IOException {
        Random random = new Random(11);
        byte[] large = new byte[1_000_000];
        random.nextBytes(large);
        byte[] body = new Multiparts.Builder("big")
                .file("files[]", "a", large)
                .file("files[]", "b", ascii("tail"))
                .close()
                .build();

        List<Multiparts.Part> parts = readAll(
                new Multiparts.Sliced(body, random, 100_000, 400_000), "big", () -> 1 + random.nextInt(300_000));

        assertThat(parts.get(0).body()).isEqualTo(large);
        assertThat(parts.get(1).text()).isEqualTo("tail");
    }

    @Test
    void randomBinaryPartsRoundTripWhateverTheReadSizes() throws IOException {
        Random random = new Random(20240611L);
        for (int iteration = 0; iteration < 400; iteration++) {
            String boundary = boundary(random);
            byte[] delimiter = ascii("\r\n--" + boundary);
            List<byte[]> bodies = new ArrayList<>();
            Multiparts.Builder builder = new Multiparts.Builder(boundary);
            if (random.nextBoolean()) {
                // The reader sees the start of the body as if a line break came before it: so does this check.
                byte[] preamble;
                do {
                    preamble = body(random, delimiter, boundary, 200);
                } while (indexOf(concat(ascii("\r\n"), preamble), delimiter) >= 0);
                builder.preamble(preamble);
            }
            int count = random.nextInt(5);
            for (int p = 0; p < count; p++) {
                byte[] bytes = body(random, delimiter, boundary, random.nextInt(8) == 0 ? 200_000 : 3000);
                bodies.add(bytes);
                builder.file("files[]", "f" + p, bytes);
            }
            byte[] body = builder.close()
                    .raw(random.nextBoolean() ? body(random, delimiter, boundary, 100) : new byte[0])
                    .build();
            boolean tiny = random.nextBoolean();
            java.io.InputStream in =
                    tiny ? new Multiparts.Sliced(body, random, 1, 7) : new Multiparts.Sliced(body, random, 1, 300_000);

            List<Multiparts.Part> parts = readAll(in, boundary, () -> 1 + random.nextInt(tiny ? 16 : 70_000));

            assertThat(parts)
                    .as("iteration %d, boundary %s", iteration, boundary)
                    .hasSize(count);
            for (int p = 0; p < count; p++) {
                assertThat(parts.get(p).headers().filename()).isEqualTo("f" + p);
                assertThat(parts.get(p).body())
                        .as("iteration %d, part %d", iteration, p)
                        .isEqualTo(bodies.get(p));
            }
        }
    }

    /** Parses the body fed as three slices, cut at {@code first} and {@code second}. */
    private static List<Multiparts.Part> parse(byte[] body, int first, int second) {
        Multiparts.Collector parts = new Multiparts.Collector();
        MultipartParser parser = new MultipartParser("cut", parts);
        // Each slice in an array of its own with room around it: the parser must not look outside its slice.
        int[] cuts = {0, first, second, body.length};
        for (int i = 0; i < 3; i++) {
            byte[] slice = new byte[cuts[i + 1] - cuts[i] + 4];
            System.arraycopy(body, cuts[i], slice, 2, cuts[i + 1] - cuts[i]);
            Multiparts.feedAll(parser, slice, 2, cuts[i + 1] - cuts[i]);
        }
        parser.end();
        return parts.parts;
    }

    private static List<Multiparts.Part> parseByteByByte(byte[] body) {
        Multiparts.Collector parts = new Multiparts.Collector();
        MultipartParser parser = new MultipartParser("cut", parts);
        for (byte b : body) {
            Multiparts.feedAll(parser, new byte[] {b}, 0, 1);
        }
        parser.end();
        return parts.parts;
    }

    private static List<String> render(List<Multiparts.Part> parts) {
        return parts.stream()
                .map(p -> p.headers() + " " + java.util.HexFormat.of().formatHex(p.body()))
                .toList();
    }

    private static String failure(Runnable parse) {
        try {
            parse.run();
            return null;
        } catch (MalformedMultipartException e) {
            return e.getMessage();
        }
    }

    private static String boundary(Random random) {
        StringBuilder b = new StringBuilder();
        int length = 1 + random.nextInt(70);
        for (int i = 0; i < length; i++) {
            b.append(BCHARS.charAt(random.nextInt(BCHARS.length())));
        }
        return b.toString();
    }

    /** Random bytes mixed with pieces that look like the delimiter, never containing the delimiter itself. */
    private static byte[] body(Random random, byte[] delimiter, String boundary, int maxLength) {
        while (true) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int length = random.nextInt(maxLength + 1);
            while (out.size() < length) {
                switch (random.nextInt(6)) {
                    case 0 -> out.write(delimiter, 0, random.nextInt(delimiter.length));
                    case 1 -> out.writeBytes(ascii("\r\n\r\r\n\n".substring(random.nextInt(6))));
                    case 2 -> out.writeBytes(ascii("--" + boundary + (random.nextBoolean() ? "--" : "\r\n")));
                    default -> {
                        byte[] noise = new byte[random.nextInt(Math.max(1, Math.min(maxLength, 4096)))];
                        random.nextBytes(noise);
                        out.writeBytes(noise);
                    }
                }
            }
            byte[] bytes = out.toByteArray();
            if (indexOf(bytes, delimiter) < 0) {
                return bytes;
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int k = 0; k < pattern.length; k++) {
                if (data[i + k] != pattern[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
