package pomf.upload.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tika.detect.TextDetector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Content types detected from the bytes with Apache Tika's magic database, never from the client's header or
 * the name. Tika's magic needs real structure, unlike the libmagic rules that made Pomf refuse random data.
 */
public final class ContentTypes {
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    private static final MediaTypeRegistry REGISTRY = TYPES.getMediaTypeRegistry();
    /** Tika's rules evaluated in place (the same answers, a tenth of the work), when this Tika's can be read. */
    private static final Optional<MagicRules> RULES = MagicRules.of(TYPES);
    /** {@link #namesOf} per detected type: a few hundred types at most, each asked for on every upload. */
    private static final Map<String, Set<String>> NAMES = new ConcurrentHashMap<>();
    /** Tika's type for anything that starts with "MZ", on those two bytes alone. */
    private static final MediaType MS_DOWNLOAD = MediaType.application("x-msdownload");
    /**
     * The names libmagic gives (and so Pomf's lists use) for types Tika knows under other names. Mach-O files are
     * added by their {@code application/x-mach-o} prefix: Tika has a dozen unrelated Mach-O types.
     */
    private static final Map<String, List<String>> LIBMAGIC_NAMES = Map.of(
            "application/java-vm", List.of("application/java", "application/x-java-applet"),
            "application/x-msdownload",
                    List.of("application/x-dosexec", "application/vnd.microsoft.portable-executable"));

    private static final String MACH_O = "application/x-mach-o";

    private ContentTypes() {}

    public static String detect(byte[] head) {
        try {
            MediaType type = RULES.isPresent()
                    ? RULES.get().detect(head)
                    : TYPES.detect(new ByteArrayInputStream(head), new Metadata());
            if (type.equals(MS_DOWNLOAD) && !isDosOrWindowsExecutable(head)) {
                // Two bytes match 1 random file in 65,536 and any text that starts with "MZ": without a header a
                // loader would accept, answer what Tika answers when no magic matches.
                type = new TextDetector(TYPES.getMinLength()).detect(new ByteArrayInputStream(head), new Metadata());
            }
            return type.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory", e);
        }
    }

    /** The type without parameters, its aliases and supertypes: what block and allow rules compare against. */
    public static Set<String> namesOf(String detected) {
        Set<String> known = NAMES.get(detected);
        if (known != null) {
            return known;
        }
        Set<String> names = Collections.unmodifiableSet(namesFromRegistry(detected));
        if (NAMES.size() < 4096) {
            NAMES.put(detected, names);
        }
        return names;
    }

    private static Set<String> namesFromRegistry(String detected) {
        Set<String> names = new LinkedHashSet<>();
        MediaType type = MediaType.parse(detected);
        while (type != null) {
            MediaType base = type.getBaseType();
            names.add(type.toString());
            names.add(base.toString());
            REGISTRY.getAliases(REGISTRY.normalize(base)).forEach(a -> names.add(a.toString()));
            MediaType normalized = REGISTRY.normalize(base);
            names.add(normalized.toString());
            MediaType parent = type.hasParameters() ? base : REGISTRY.getSupertype(normalized);
            if (parent == null || parent.equals(MediaType.OCTET_STREAM) || parent.equals(MediaType.TEXT_PLAIN)) {
                break;
            }
            type = parent;
        }
        for (String name : List.copyOf(names)) {
            names.addAll(LIBMAGIC_NAMES.getOrDefault(name, List.of()));
            if (name.startsWith(MACH_O)) {
                names.add("application/x-mach-binary");
            }
        }
        return names;
    }

    /**
     * "MZ" followed by what Windows or DOS would load: a PE, NE, LE or LX header where {@code e_lfanew} points,
     * or DOS header fields that agree with each other (last page under 512 bytes, a header of at least the 28
     * fixed bytes that fits in the declared pages, relocations inside the header).
     */
    static boolean isDosOrWindowsExecutable(byte[] b) {
        if (b.length < 28 || b[0] != 'M' || b[1] != 'Z') {
            return false;
        }
        if (b.length >= 64) {
            long lfanew =
                    (b[0x3C] & 0xffL) | (b[0x3D] & 0xffL) << 8 | (b[0x3E] & 0xffL) << 16 | (b[0x3F] & 0xffL) << 24;
            if (lfanew >= 4 && lfanew + 4 <= b.length) {
                int at = (int) lfanew;
                byte first = b[at];
                byte second = b[at + 1];
                if (first == 'P' && second == 'E' && b[at + 2] == 0 && b[at + 3] == 0
                        || first == 'N' && second == 'E'
                        || first == 'L' && (second == 'E' || second == 'X')) {
                    return true;
                }
            }
        }
        int lastPage = u16(b, 2);
        int pages = u16(b, 4);
        int relocations = u16(b, 6);
        int headerParagraphs = u16(b, 8);
        int relocationTable = u16(b, 0x18);
        return lastPage < 512
                && pages > 0
                && headerParagraphs >= 2
                && headerParagraphs <= pages * 32L
                && (relocations == 0
                        || relocationTable >= 28 && relocationTable + 4L * relocations <= headerParagraphs * 16L);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
