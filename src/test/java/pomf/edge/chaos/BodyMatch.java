package pomf.edge.chaos;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Compares a body with the bytes it must be as they arrive: {@code length} bytes of {@code version} from offset
 * {@code from}. Keeps the first difference (with the bytes around it) and the body's first bytes, which tell an
 * error page posing as content from other wrong bytes. Without a version it only counts and keeps the first bytes.
 */
final class BodyMatch {
    static final int PREFIX = 512;
    private static final int SHOWN = 16;

    private final Version version;
    private final long from;
    private final long length;
    private final byte[] prefix = new byte[PREFIX];
    private byte[] scratch = new byte[0];
    private long received;
    private long firstDifference = -1;
    private byte[] gotThere;
    private byte[] expectedThere;
    /** The received bytes from the first difference on (up to PREFIX): whose bytes they are tells the cause. */
    private final byte[] fromDifference = new byte[PREFIX];

    private int fromDifferenceLength;

    BodyMatch(Version version, long from, long length) {
        this.version = version;
        this.from = from;
        this.length = length;
    }

    /** A body nothing is known about (an error status, an unknown version): counted, its start kept. */
    static BodyMatch unchecked() {
        return new BodyMatch(null, 0, -1);
    }

    void accept(byte[] bytes, int offset, int count) {
        if (received < PREFIX) {
            System.arraycopy(bytes, offset, prefix, (int) received, (int) Math.min(count, PREFIX - received));
        }
        if (firstDifference >= 0 && fromDifferenceLength < PREFIX) {
            int n = Math.min(count, PREFIX - fromDifferenceLength);
            System.arraycopy(bytes, offset, fromDifference, fromDifferenceLength, n);
            fromDifferenceLength += n;
        }
        if (version != null && firstDifference < 0) {
            long comparable = Math.max(0, Math.min(count, length - received));
            int n = (int) Math.min(comparable, Math.max(0, version.size() - from - received));
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, 64 * 1024)];
            }
            version.copy(from + received, scratch, 0, n);
            int at = Arrays.mismatch(bytes, offset, offset + n, scratch, 0, n);
            if (at >= 0) {
                firstDifference = received + at;
                int shown = Math.min(SHOWN, n - at);
                gotThere = Arrays.copyOfRange(bytes, offset + at, offset + at + shown);
                expectedThere = Arrays.copyOfRange(scratch, at, at + shown);
                fromDifferenceLength = Math.min(PREFIX, count - at);
                System.arraycopy(bytes, offset + at, fromDifference, 0, fromDifferenceLength);
            }
        }
        received += count;
    }

    boolean checked() {
        return version != null;
    }

    Version version() {
        return version;
    }

    long from() {
        return from;
    }

    /** Bytes the answer must carry in full, or -1 when unknown. */
    long length() {
        return length;
    }

    long received() {
        return received;
    }

    /** Offset in the body of the first wrong byte, or -1 when every byte so far is right. */
    long firstDifference() {
        return firstDifference;
    }

    byte[] prefix() {
        return Arrays.copyOf(prefix, (int) Math.min(PREFIX, received));
    }

    /** The bytes received from the first difference on (at most {@link #PREFIX}); empty when none differs. */
    byte[] fromDifference() {
        return Arrays.copyOf(fromDifference, fromDifferenceLength);
    }

    String differenceText() {
        if (firstDifference < 0) {
            return "no byte differs";
        }
        HexFormat hex = HexFormat.of();
        return "first differing byte at body offset " + firstDifference + " (object offset "
                + (from + firstDifference) + "): got " + hex.formatHex(gotThere) + ", expected "
                + hex.formatHex(expectedThere);
    }
}
