package pomf.upload.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.tika.detect.MagicDetector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * {@link MagicRules} answers what Tika's {@link MimeTypes#detect} answers, byte for byte of input. The inputs are
 * made from Tika's own database file, read here on another path than MagicRules reads Tika (the XML, not the parsed
 * objects): for every chain of nested {@code <match>} elements, data with each match's bytes at its offset, with
 * random bytes around them, cut before and at the last byte the chain needs, and with the bytes moved to the far
 * end of a range; then random data of many lengths, text, markup, and every file of the test resources.
 */
class MagicRulesTest {
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    private static MagicRules rules;

    @BeforeAll
    static void readTheRules() {
        rules = MagicRules.of(TYPES).orElseThrow(() -> new AssertionError("this Tika's rules could not be read"));
    }

    private static void assertSameAsTika(byte[] data, String what) throws Exception {
        MediaType tika = TYPES.detect(new ByteArrayInputStream(data), new Metadata());
        assertThat(rules.detect(data)).as(what + " (" + data.length + " bytes)").isEqualTo(tika);
    }

    @Test
    void everyChainOfMatchesInTikasDatabaseIsAnsweredAsTikaAnswersIt() throws Exception {
        Random random = new Random(20261204);
        List<Chain> chains = chains();
        assertThat(chains).hasSizeGreaterThan(1000);
        int compared = 0;
        for (Chain chain : chains) {
            for (boolean farEnd : new boolean[] {false, true}) {
                byte[] full = chain.sample(random, farEnd);
                assertSameAsTika(full, chain.type + " " + chain.description + (farEnd ? " at the range's end" : ""));
                int needed = chain.needed(farEnd);
                for (int cut : new int[] {needed - 1, needed, needed + 1}) {
                    if (cut >= 0 && cut < full.length) {
                        assertSameAsTika(Arrays.copyOf(full, cut), chain.type + " " + chain.description + " cut");
                    }
                }
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(2000);
    }

    @Test
    void randomDataOfEveryShortLengthAndSomeLongOnes() throws Exception {
        Random random = new Random(7);
        for (int length = 0; length <= 600; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            assertSameAsTika(data, "random");
        }
        for (int length : new int[] {4096, 16 * 1024, 65536, 65537, 100_000}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            assertSameAsTika(data, "random");
            assertSameAsTika(new byte[length], "zeros");
        }
    }

    @Test
    void textAndMarkupWhichTikaRefinesItself() throws Exception {
        for (String text : new String[] {
            "hello\n",
            "plain text, a few lines\nof it\n".repeat(40),
            "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            "<?xml version=\"1.0\"?><root/>",
            "<?xml version=\"1.0\"?>",
            "<!DOCTYPE html><html><body>hi</body></html>",
            "<html><head><title>x</title></head></html>",
            "#!/bin/sh\necho hi\n",
            "{\"json\": true}",
            "%PDF-1.7\n",
            "MZ but text after it",
            "\u00e9t\u00e9 \u00e0 la plage\n".repeat(10)
        }) {
            assertSameAsTika(text.getBytes(StandardCharsets.UTF_8), text.strip());
            assertSameAsTika(text.getBytes(StandardCharsets.UTF_16LE), text.strip() + " UTF-16LE");
        }
    }

    @Test
    void everyFileOfTheTestResources() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/test/resources"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            byte[] all = Files.readAllBytes(file);
            assertSameAsTika(Arrays.copyOf(all, Math.min(all.length, IncomingFile.HEAD_BYTES)), file.toString());
        }
    }

    /** The matches from a {@code <magic>} down to one innermost {@code <match>}: all must hold for the chain. */
    private record Chain(String type, String description, List<Detector> matches) {
        byte[] sample(Random random, boolean farEnd) {
            byte[] data = new byte[needed(farEnd) + random.nextInt(64)];
            random.nextBytes(data);
            for (Detector m : matches) {
                if (m.regex) {
                    continue;
                }
                int at = farEnd ? m.end : m.begin;
                for (int j = 0; j < m.length; j++) {
                    byte wanted = m.pattern[j];
                    if (m.ignoreCase && random.nextBoolean()) {
                        wanted = (byte) Character.toUpperCase(wanted);
                    }
                    data[at + j] = (byte) ((data[at + j] & ~m.mask[j]) | (wanted & m.mask[j]));
                }
            }
            return data;
        }

        int needed(boolean farEnd) {
            return matches.stream()
                    .mapToInt(m -> (farEnd ? m.end : m.begin) + m.length)
                    .max()
                    .orElse(0);
        }
    }

    /** One {@code <match>} as Tika's {@link MagicDetector#parse} reads it. */
    private record Detector(
            byte[] pattern, byte[] mask, int begin, int end, int length, boolean regex, boolean ignoreCase) {
        static Detector of(Element match) throws Exception {
            MagicDetector d = MagicDetector.parse(
                    MediaType.TEXT_PLAIN,
                    match.hasAttribute("type") ? match.getAttribute("type") : "string", // Tika's reader's default
                    match.hasAttribute("offset") ? match.getAttribute("offset") : null,
                    match.getAttribute("value"),
                    match.hasAttribute("mask") ? match.getAttribute("mask") : null);
            return new Detector(
                    (byte[]) read(d, "pattern"),
                    (byte[]) read(d, "mask"),
                    (int) read(d, "offsetRangeBegin"),
                    (int) read(d, "offsetRangeEnd"),
                    (int) read(d, "length"),
                    (boolean) read(d, "isRegex"),
                    (boolean) read(d, "isStringIgnoreCase"));
        }

        private static Object read(MagicDetector d, String name) throws Exception {
            Field f = MagicDetector.class.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(d);
        }
    }

    private static List<Chain> chains() throws Exception {
        List<Chain> chains = new ArrayList<>();
        try (InputStream xml = MimeTypes.class.getResourceAsStream("tika-mimetypes.xml")) {
            Element root = DocumentBuilderFactory.newInstance()
                    .newDocumentBuilder()
                    .parse(xml)
                    .getDocumentElement();
            for (Node type = root.getFirstChild(); type != null; type = type.getNextSibling()) {
                if (type instanceof Element t && t.getTagName().equals("mime-type")) {
                    for (Element magic : children(t, "magic")) {
                        for (Element match : children(magic, "match")) {
                            walk(t.getAttribute("type"), match, new ArrayList<>(), chains);
                        }
                    }
                }
            }
        }
        return chains;
    }

    /**
     * Chains through a match: with it, down each inner match. A {@code minShouldMatch} element is a group, not a
     * match: a chain through each member, and one with every plain match of the group (and its groups) at once.
     */
    private static void walk(String type, Element match, List<Detector> above, List<Chain> chains) throws Exception {
        List<Element> inner = children(match, "match");
        if (match.hasAttribute("minShouldMatch")) {
            List<Detector> all = new ArrayList<>(above);
            addPlainMatches(match, all);
            chains.add(new Chain(type, "group of " + inner.size(), all));
            for (Element m : inner) {
                walk(type, m, above, chains);
            }
            return;
        }
        List<Detector> path = new ArrayList<>(above);
        path.add(Detector.of(match));
        if (inner.isEmpty()) {
            chains.add(new Chain(
                    type,
                    match.getAttribute("type") + "@" + match.getAttribute("offset") + " " + match.getAttribute("value"),
                    path));
        }
        for (Element m : inner) {
            walk(type, m, path, chains);
        }
    }

    private static void addPlainMatches(Element group, List<Detector> into) throws Exception {
        for (Element m : children(group, "match")) {
            if (m.hasAttribute("minShouldMatch")) {
                addPlainMatches(m, into);
            } else {
                into.add(Detector.of(m));
            }
        }
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                found.add(e);
            }
        }
        return found;
    }
}
