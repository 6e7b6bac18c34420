package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;
import static pomf.upload.control.Multiparts.ascii;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 4: a boundary of one repeated character and a body of that character made the delimiter
 * search compare about as many bytes as the boundary is long for every byte of the body. The search must cost
 * the same per byte whatever the boundary.
 */
class MultipartReaderWorstCaseTest {
    private static final int BODY = 16 * 1024 * 1024;

    @Test
    void scanningCostDoesNotGrowWithTheBoundarysLength() throws IOException {
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

    /** Reads every part and returns the time it took; checks that the content came through whole. */
    private static long scan(byte[] body, String boundary) throws IOException {
        long start = System.nanoTime();
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), boundary);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (reader.nextPart() != null) {
            int n;
            while ((n = reader.read(buffer, 0, buffer.length)) >= 0) {
                total += n;
            }
        }
        long nanos = System.nanoTime() - start;
        assertThat(total).isEqualTo(BODY);
        return nanos;
    }
}
