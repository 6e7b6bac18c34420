package pomf.upload.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
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

    private ContentTypes() {
    }

    public static String detect(byte[] head) {
        try {
            return TYPES.detect(new ByteArrayInputStream(head), new Metadata()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory", e);
        }
    }

    /** The type without parameters, its aliases and supertypes: what block and allow rules compare against. */
    public static Set<String> namesOf(String detected) {
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
        return names;
    }
}
