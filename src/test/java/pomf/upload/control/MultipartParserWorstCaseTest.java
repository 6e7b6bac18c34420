package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.upload.control.Multiparts.ascii;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 4: a boundary of one repeated character and a body of that character made the delimiter
 * search compare about as many bytes as the boundary is long for every byte of the body. The search must cost
 * the same per byte whatever the boundary.
 */
class MultipartParserWorstCaseTest {
    private static final int BODY = 16 * 1024 * 1024;

    @Test
    void scanningCostDoesNotGrowWithTheBoundarysLength() {
        byte[] content = new byte[BODY];
        Arrays.fill(content, (byte) 'a');
        String shortest = "a";
        String longest = "a".repeat(70);
        byte[] easy = body(shortest, content);
        byte[] adversarial = body(longest, content);
        // Warm both paths up, then keep the best of a few runs of each: the ratio, not a wall-clock limit, is
        // what this test asserts, so a loaded machine slows both sides alike.
        scan(easy, shortest);
        scan(adversarial, longest);
        long easyNanos = Long.MAX_VALUE;
        long adversarialNanos = Long.MAX_VALUE;
        for (int run = 0; run < 5; run++) {
            easyNanos = Math.min(easyNanos, scan(easy, shortest));
            adversarialNanos = Math.min(adversarialNanos, scan(adversarial, longest));
        }

        assertThat(adversarialNanos)
                .as(
                        "a 70-character boundary of the body's own byte costs %d ms, a 1-character one %d ms",
                        adversarialNanos / 1_000_000, easyNanos / 1_000_000)
                .isLessThan(5 * easyNanos);
    }

    private static byte[] body(String boundary, byte[] content) {
        return new Multiparts.Builder(boundary)
                .file("files[]", "a.txt", content)
                .close()
                .raw(ascii("\r\n"))
                .build();
    }

    /** Parses the body in 64 KiB slices and returns the time it took; checks that the content came through whole. */
    private static long scan(byte[] body, String boundary) {
        long[] total = new long[1];
        long start = System.nanoTime();
        MultipartParser parser = new MultipartParser(boundary, new MultipartParser.Handler() {
            @Override
            public void partStarted(PartHeaders headers) {}

            @Override
            public void partData(byte[] bytes, int offset, int length) {
                total[0] += length;
            }

            @Override
            public void partEnded() {}
        });
        for (int offset = 0; offset < body.length; offset += 64 * 1024) {
            Multiparts.feedAll(parser, body, offset, Math.min(64 * 1024, body.length - offset));
        }
        parser.end();
        long nanos = System.nanoTime() - start;
        assertThat(total[0]).isEqualTo(BODY);
        return nanos;
    }
}
