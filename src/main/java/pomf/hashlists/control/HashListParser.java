package pomf.hashlists.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a hash list as people publish them: one hash per line, or CSV (the first field of a line that is a hash: 32
 * hex digits for MD5, 40 for SHA-1, 64 for SHA-256, quoted or not, any case). Blank lines and {@code #} comments are
 * skipped, so is a first line without a hash (a CSV header); any other line without one is counted, and its number
 * kept (the first few), so that an admin sees what was left out. Streaming: a million lines hold no memory.
 */
public final class HashListParser {
    /** A line longer than this is no list line (a binary file sent by mistake): ignored, never buffered whole. */
    static final int MAX_LINE = 4096;

    private static final int SHOWN = 5;

    private HashListParser() {}

    /** Receives each hash found, lowercase. */
    public interface Sink {
        void hash(String hash) throws IOException;
    }

    /** What a parse found besides the hashes. */
    public record Summary(long hashes, long ignored, List<Long> firstIgnored) {}

    public static Summary parse(InputStream in, Sink sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        long number = 0;
        long hashes = 0;
        long ignored = 0;
        boolean seenContent = false;
        List<Long> firstIgnored = new ArrayList<>();
        StringBuilder line = new StringBuilder(128);
        boolean tooLong = false;
        int c;
        do {
            c = reader.read();
            if (c != '\n' && c != -1) {
                if (line.length() < MAX_LINE) {
                    line.append((char) c);
                } else {
                    tooLong = true;
                }
                continue;
            }
            if (c == -1 && line.length() == 0 && !tooLong) {
                break;
            }
            number++;
            String hash = tooLong ? null : hashIn(line);
            boolean blank = !tooLong && isBlankOrComment(line);
            if (hash != null) {
                sink.hash(hash);
                hashes++;
            } else if (!blank && seenContent) {
                ignored++;
                if (firstIgnored.size() < SHOWN) {
                    firstIgnored.add(number);
                }
            }
            seenContent |= !blank;
            line.setLength(0);
            tooLong = false;
        } while (c != -1);
        return new Summary(hashes, ignored, firstIgnored);
    }

    /** The first field of {@code line} that is a hash, lowercase; null when none is. */
    static String hashIn(CharSequence line) {
        int length = line.length();
        int i = 0;
        while (i < length) {
            while (i < length && isSeparator(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < length && !isSeparator(line.charAt(i))) {
                i++;
            }
            int n = i - start;
            if ((n == 32 || n == 40 || n == 64) && allHex(line, start, i)) {
                char[] hash = new char[n];
                for (int k = 0; k < n; k++) {
                    hash[k] = Character.toLowerCase(line.charAt(start + k));
                }
                return new String(hash);
            }
        }
        return null;
    }

    private static boolean isSeparator(char c) {
        return c == ',' || c == ';' || c == '\t' || c == ' ' || c == '"' || c == '\'' || c == '\r' || c == '|';
    }

    private static boolean allHex(CharSequence line, int from, int to) {
        for (int k = from; k < to; k++) {
            char c = line.charAt(k);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlankOrComment(CharSequence line) {
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '#') {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }
}
