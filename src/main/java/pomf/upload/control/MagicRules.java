package pomf.upload.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.tika.detect.MagicDetector;
import org.apache.tika.detect.TextDetector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeType;
import org.apache.tika.mime.MimeTypeException;
import org.apache.tika.mime.MimeTypes;

/**
 * Tika's magic database, evaluated in place. {@link MimeTypes#detect} answers the same for an upload's first
 * bytes, but it runs every one of its ~1,700 rules on a fresh copy of the bytes (a stream, a buffer, and for a
 * pattern rule a new {@link Pattern} and a char decoding of the buffer each time): about 0.4-0.7 ms of CPU per
 * upload, the largest single cost of a small one. Here the same rules, read once from Tika's own parsed database,
 * look at the array where it is: a byte rule compares bytes, a pattern rule matches a pattern compiled once
 * against a view of the bytes, and the cheap clauses of a conjunction or disjunction are decided before the
 * patterns. What each rule means is Tika's, step for step ({@code MagicDetector.detect}: the bytes from the
 * range's start, zeros past the end of the data, the masks, the case folding, the minimum length), and so is the
 * choice among matches ({@code MimeTypes.getMimeType}: the rules in Tika's order, by priority; the first match is
 * the answer; no match means Tika's text detection). The answers Tika refines from an XML root element (XML and
 * HTML matches) are left to Tika itself.
 *
 * <p>Tika keeps the parsed rules in package-private classes: they are read by reflection. Where a later Tika
 * stores them differently, {@link #of} says so (empty) and detection stays with Tika. {@code MagicRulesTest} and
 * the fuzz target {@code MagicRulesFuzzTest} compare every answer with Tika's.
 */
final class MagicRules {
    private static final Logger LOG = Logger.getLogger(MagicRules.class.getName());
    private static final String TIKA_MIME = "org.apache.tika.mime.";

    private final MimeTypes types;
    private final Rule[] rules;
    private final MediaType root;

    private MagicRules(MimeTypes types, Rule[] rules) throws MimeTypeException {
        this.types = types;
        this.rules = rules;
        this.root = types.forName(MimeTypes.OCTET_STREAM).getType();
    }

    /** The rules of this database, or empty (with a warning in the log) when its structure is not the known one. */
    static Optional<MagicRules> of(MimeTypes types) {
        try {
            List<?> magics = (List<?>) field(MimeTypes.class, "magics").get(types);
            Class<?> magic = Class.forName(TIKA_MIME + "Magic");
            Method type = accessible(magic.getDeclaredMethod("getType"));
            Field clause = field(magic, "clause");
            Rule[] rules = new Rule[magics.size()];
            for (int i = 0; i < rules.length; i++) {
                Object m = magics.get(i);
                rules[i] = new Rule((MimeType) type.invoke(m), node(clause.get(m)));
            }
            return Optional.of(new MagicRules(types, rules));
        } catch (ReflectiveOperationException | MimeTypeException | RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "Tika's magic rules are not where this version expects them; detecting with Tika",
                    e);
            return Optional.empty();
        }
    }

    /** What {@code types.detect(stream of head, new Metadata())} answers. */
    MediaType detect(byte[] head) {
        byte[] data = head.length > types.getMinLength() ? Arrays.copyOf(head, types.getMinLength()) : head;
        if (data.length == 0) {
            return root;
        }
        Data tested = new Data(data);
        MimeType first = null;
        for (Rule rule : rules) {
            if (rule.clause.matches(tested)) {
                // Tika goes on collecting the matches of this priority, but answers the first.
                first = rule.type;
                break;
            }
        }
        if (first == null) {
            return textType(data);
        }
        String name = first.getName();
        if (name.equals("application/xml") || name.equals("text/html")) {
            return tika(data);
        }
        return first.getType();
    }

    private MediaType textType(byte[] data) {
        try {
            MediaType text =
                    new TextDetector(types.getMinLength()).detect(new ByteArrayInputStream(data), new Metadata());
            return types.forName(text.toString()).getType();
        } catch (Exception e) {
            return root;
        }
    }

    private MediaType tika(byte[] data) {
        try {
            return types.detect(new ByteArrayInputStream(data), new Metadata());
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory", e);
        }
    }

    /** One of Tika's clauses as a node of ours; an unknown kind of clause fails the whole reading. */
    private static Node node(Object clause) throws ReflectiveOperationException {
        String kind = clause.getClass().getName();
        switch (kind) {
            case TIKA_MIME + "Magic":
                return node(field(clause.getClass(), "clause").get(clause));
            case TIKA_MIME + "AndClause":
                return Node.all(nodes(Arrays.asList(
                        (Object[]) field(clause.getClass(), "clauses").get(clause))));
            case TIKA_MIME + "OrClause":
                return Node.atLeast(
                        1, nodes((List<?>) field(clause.getClass(), "clauses").get(clause)));
            case TIKA_MIME + "MinShouldMatchClause":
                // Tika's loop says yes only on a match, so a minimum of 0 still needs one.
                return Node.atLeast(Math.max(1, field(clause.getClass(), "min").getInt(clause)), nodes((List<?>)
                        field(clause.getClass(), "clauses").get(clause)));
            case TIKA_MIME + "MagicMatch":
                return match(clause);
            default:
                throw new IllegalStateException("unknown kind of magic clause: " + kind);
        }
    }

    private static Node[] nodes(List<?> clauses) throws ReflectiveOperationException {
        Node[] nodes = new Node[clauses.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node(clauses.get(i));
        }
        // Cheap tests first: the result of a conjunction or disjunction does not depend on their order.
        Arrays.sort(nodes, Comparator.comparingInt(Node::cost));
        return nodes;
    }

    /** A {@code <match>}: parsed by Tika's own {@link MagicDetector#parse}, then read from the detector. */
    private static Node match(Object match) throws ReflectiveOperationException {
        Class<?> c = match.getClass();
        MediaType mediaType = (MediaType) field(c, "mediaType").get(match);
        if (mediaType == MediaType.OCTET_STREAM) {
            // Tika tells a match by its detector answering something other than this very instance.
            return Node.NEVER;
        }
        MagicDetector detector = MagicDetector.parse(
                mediaType,
                (String) field(c, "type").get(match),
                (String) field(c, "offset").get(match),
                (String) field(c, "value").get(match),
                (String) field(c, "mask").get(match));
        Class<MagicDetector> d = MagicDetector.class;
        int length = field(d, "length").getInt(detector);
        byte[] pattern = (byte[]) field(d, "pattern").get(detector);
        byte[] mask = (byte[]) field(d, "mask").get(detector);
        boolean ignoreCase = field(d, "isStringIgnoreCase").getBoolean(detector);
        int begin = field(d, "offsetRangeBegin").getInt(detector);
        int end = field(d, "offsetRangeEnd").getInt(detector);
        if (field(d, "isRegex").getBoolean(detector)) {
            Pattern regex = Pattern.compile(
                    new String(pattern, StandardCharsets.UTF_8), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            return new RegexMatch(regex, begin, end, length);
        }
        if (pattern.length < length || mask.length < length) {
            throw new IllegalStateException("a magic pattern shorter than its length");
        }
        return new BytesMatch(pattern, mask, ignoreCase, begin, end, length);
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        return accessible(c.getDeclaredField(name));
    }

    private static <T extends AccessibleObject> T accessible(T member) {
        member.setAccessible(true);
        return member;
    }

    /** A rule of Tika's list, which is sorted by priority (highest first). */
    private record Rule(MimeType type, Node clause) {}

    /**
     * The data under test, and where each byte value occurs in it (built when a long range first asks): a range of
     * thousands of starts is then searched at the few places where its first byte can be.
     */
    private static final class Data {
        final byte[] bytes;
        /** Positions grouped by byte value, ascending within a value: value v's are at {@code [from[v], from[v+1])}. */
        private int[] positions;

        private int[] from;

        Data(byte[] bytes) {
            this.bytes = bytes;
        }

        int[] positions() {
            if (positions == null) {
                int[] count = new int[257];
                for (byte b : bytes) {
                    count[(b & 0xff) + 1]++;
                }
                for (int v = 1; v <= 256; v++) {
                    count[v] += count[v - 1];
                }
                from = count.clone();
                positions = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    positions[count[bytes[i] & 0xff]++] = i;
                }
            }
            return positions;
        }

        /** Where value v's positions start in {@link #positions()} (and v + 1's, where they end). */
        int from(int v) {
            positions();
            return from[v];
        }
    }

    /** A clause of a rule, evaluated on the data in place. */
    private interface Node {
        boolean matches(Data data);

        /** For ordering siblings: byte comparisons before patterns, a few positions before long ranges. */
        int cost();

        Node ALWAYS = new Constant(true);
        Node NEVER = new Constant(false);

        /** A clause whose answer does not depend on the data (an empty AND; a match Tika can never report). */
        record Constant(boolean answer) implements Node {
            @Override
            public boolean matches(Data data) {
                return answer;
            }

            @Override
            public int cost() {
                return 0;
            }
        }

        static Node all(Node[] nodes) {
            return nodes.length == 0 ? ALWAYS : atLeast(nodes.length, nodes);
        }

        /** At least {@code min} (1 or more) of the nodes match: AND is all of them, OR one, MinShouldMatch its minimum. */
        static Node atLeast(int min, Node[] nodes) {
            int cost = Arrays.stream(nodes).mapToInt(Node::cost).sum();
            return new Node() {
                @Override
                public boolean matches(Data data) {
                    int yes = 0;
                    for (int i = 0; i < nodes.length; i++) {
                        if (nodes[i].matches(data)) {
                            if (++yes >= min) {
                                return true;
                            }
                        } else if (nodes.length - 1 - i + yes < min) {
                            return false;
                        }
                    }
                    return yes >= min;
                }

                @Override
                public int cost() {
                    return cost;
                }
            };
        }
    }

    /**
     * A match tried at each start of {@code [begin, end]}, as Tika tries it. Each start is first judged by its
     * first byte alone (a bitmap of the values that can begin a match); a long range is searched through the data's
     * index, at the positions of those values only. Every start at or past the data's end sees only zeros (Tika's
     * buffer past the data), so the first of them answers for all.
     */
    private abstract static class RangeMatch implements Node {
        private static final int INDEXED_ABOVE = 64;
        final int begin;
        final int end;
        final int length;
        private final long[] first = new long[4];
        /** The values of {@link #first}, when few enough to search the index by; else null. */
        private int[] firstValues;

        RangeMatch(int begin, int end, int length) {
            this.begin = begin;
            this.end = end;
            this.length = length;
        }

        /** Fills the first-byte bitmap; called by the constructor of a subclass once it can answer. */
        final void learnFirstBytes() {
            int[] values = new int[256];
            int n = 0;
            for (int b = 0; b < 256; b++) {
                if (canStartWith(b)) {
                    first[b >>> 6] |= 1L << b;
                    values[n++] = b;
                }
            }
            firstValues = n <= 8 ? Arrays.copyOf(values, n) : null;
        }

        /** Whether a match can start with this byte (sound: false only when none can). */
        abstract boolean canStartWith(int b);

        /** Whether there is no match whatever the start, from the data's length alone. */
        abstract boolean tooShort(Data data);

        /** Whether it matches at this start, its first byte having passed. */
        abstract boolean matchesAt(Data data, int start);

        @Override
        public final boolean matches(Data data) {
            if (tooShort(data)) {
                return false;
            }
            byte[] bytes = data.bytes;
            int inData = Math.min(end, bytes.length - 1);
            if (firstValues != null && inData - begin > INDEXED_ABOVE) {
                int[] positions = data.positions();
                for (int v : firstValues) {
                    int to = data.from(v + 1);
                    for (int i = firstAtOrAfter(positions, data.from(v), to, begin);
                            i < to && positions[i] <= inData;
                            i++) {
                        if (matchesAt(data, positions[i])) {
                            return true;
                        }
                    }
                }
            } else {
                for (int start = begin; start <= inData; start++) {
                    int b = bytes[start] & 0xff;
                    if ((first[b >>> 6] & 1L << b) != 0 && matchesAt(data, start)) {
                        return true;
                    }
                }
            }
            int zeros = Math.max(begin, bytes.length);
            return zeros <= end && (first[0] & 1L) != 0 && matchesAt(data, zeros);
        }

        private static int firstAtOrAfter(int[] positions, int from, int to, int position) {
            int lo = from;
            int hi = to;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (positions[mid] < position) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /**
     * Tika's byte match: for some start in {@code [begin, end]}, each of {@code length} bytes from it, masked (and
     * lower-cased for a case-insensitive string), equals the pattern's byte; bytes past the data read as zero; no
     * match when the data ends before {@code begin + length}.
     */
    private static final class BytesMatch extends RangeMatch {
        private final byte[] pattern;
        private final byte[] mask;
        private final boolean ignoreCase;

        BytesMatch(byte[] pattern, byte[] mask, boolean ignoreCase, int begin, int end, int length) {
            super(begin, end, length);
            this.pattern = pattern;
            this.mask = mask;
            this.ignoreCase = ignoreCase;
            learnFirstBytes();
        }

        @Override
        boolean canStartWith(int b) {
            return length == 0 || passes((byte) b, 0);
        }

        @Override
        boolean tooShort(Data data) {
            return data.bytes.length < begin + length;
        }

        @Override
        boolean matchesAt(Data data, int start) {
            byte[] bytes = data.bytes;
            for (int j = 1; j < length; j++) {
                int at = start + j;
                if (!passes(at < bytes.length ? bytes[at] : 0, j)) {
                    return false;
                }
            }
            return true;
        }

        /** Tika's test of one byte: masked (as signed bytes), lower-cased for a case-insensitive string. */
        private boolean passes(byte value, int j) {
            int b = value & mask[j];
            if (ignoreCase) {
                b = Character.toLowerCase(b);
            }
            return b == pattern[j];
        }

        @Override
        public int cost() {
            return end - begin + 1;
        }
    }

    /**
     * Tika's pattern match: the bytes from {@code begin} (each byte one char, as ISO-8859-1 decodes them; zeros
     * past the data, up to {@code end + length}), the pattern anchored at each start of the range, each attempt
     * limited to {@code length} chars; no match when the data ends before {@code begin}. The bytes a match can
     * start with are found by trying the pattern on each single char: where the engine fails without having
     * looked past that char ({@link Matcher#hitEnd()} false), no longer text that starts with it can match.
     */
    private static final class RegexMatch extends RangeMatch {
        private final Pattern regex;

        RegexMatch(Pattern regex, int begin, int end, int length) {
            super(begin, end, length);
            this.regex = regex;
            learnFirstBytes();
        }

        @Override
        boolean canStartWith(int b) {
            if (length == 0) {
                return true;
            }
            Matcher probe = regex.matcher(String.valueOf((char) b));
            return probe.lookingAt() || probe.hitEnd();
        }

        @Override
        boolean tooShort(Data data) {
            return data.bytes.length < begin;
        }

        @Override
        boolean matchesAt(Data data, int start) {
            int i = start - begin;
            return regex.matcher(new Latin1(data.bytes, begin, length + end - begin))
                    .region(i, i + length)
                    .lookingAt();
        }

        @Override
        public int cost() {
            return 1_000_000 + end - begin;
        }
    }

    /** The bytes {@code [from, from + length)} of the data as chars, zeros past its end: no copy, no decoder. */
    private record Latin1(byte[] data, int from, int length) implements CharSequence {
        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            int at = from + index;
            return at < data.length ? (char) (data[at] & 0xff) : 0;
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Latin1(data, from + start, end - start);
        }

        @Override
        public String toString() {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = charAt(i);
            }
            return new String(chars);
        }
    }
}
