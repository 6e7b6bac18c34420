package pomf.upload.control;

/**
 * Finds a multipart delimiter in bytes that arrive in slices, in linear time whatever the boundary. It is a
 * Knuth-Morris-Pratt automaton: between slices its only state is how many delimiter bytes the last bytes seen
 * matched, and those bytes are the delimiter's own prefix, so nothing of an earlier slice needs to be kept.
 * Two shortcuts keep the common case fast without giving up the bound: a delimiter-long window whose last byte
 * does not occur in the delimiter cannot overlap a delimiter and is skipped whole (Horspool's idea, without its
 * re-comparisons), and elsewhere a tight loop looks for the delimiter's first byte.
 */
final class DelimiterSearch {
    private final byte[] delimiter;
    /** For {@code k} bytes matched and a mismatch, the longest shorter prefix that still matches (KMP). */
    private final int[] fallback;

    private final boolean[] occurs = new boolean[256];
    private int matched;

    DelimiterSearch(byte[] delimiter) {
        this.delimiter = delimiter;
        int m = delimiter.length;
        int[] border = new int[m];
        for (int q = 1, length = 0; q < m; q++) {
            while (length > 0 && delimiter[q] != delimiter[length]) {
                length = border[length - 1];
            }
            if (delimiter[q] == delimiter[length]) {
                length++;
            }
            border[q] = length;
        }
        fallback = new int[m];
        for (int k = 1; k < m; k++) {
            fallback[k] = border[k - 1];
        }
        for (byte b : delimiter) {
            occurs[b & 0xff] = true;
        }
    }

    /** How many bytes at the end of what was scanned match the delimiter's start: they may not be content. */
    int matched() {
        return matched;
    }

    /** Starts over as if {@code count} bytes of the delimiter had just been seen. */
    void reset(int count) {
        matched = count;
    }

    int length() {
        return delimiter.length;
    }

    /**
     * Scans {@code bytes[from, to)}, continuing from the previous slice. Returns the index just past the first
     * complete delimiter (and starts over from nothing matched), or -1 when the slice holds none.
     */
    int scan(byte[] bytes, int from, int to) {
        byte[] d = delimiter;
        int m = d.length;
        byte first = d[0];
        int k = matched;
        int i = from;
        while (i < to) {
            if (k == 0) {
                while (i + m <= to && !occurs[bytes[i + m - 1] & 0xff]) {
                    i += m;
                }
                int stop = Math.min(to, i + m);
                while (i < stop && bytes[i] != first) {
                    i++;
                }
                if (i < stop) {
                    // A delimiter is at least five bytes long ("\r\n--" and one character): not complete yet.
                    i++;
                    k = 1;
                }
                continue;
            }
            byte c = bytes[i++];
            while (k > 0 && d[k] != c) {
                k = fallback[k];
            }
            if (d[k] == c && ++k == m) {
                matched = 0;
                return i;
            }
        }
        matched = k;
        return -1;
    }
}
