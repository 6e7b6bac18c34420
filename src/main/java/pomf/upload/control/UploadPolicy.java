package pomf.upload.control;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import pomf.names.control.FileNames;

/**
 * Which files are accepted: a block list (Pomf's mode) or an allow list, of extensions and of detected content
 * types. Extensions compare case-insensitively; a type rule matches the type, its aliases and its supertypes,
 * and {@code image/*} matches a whole family.
 */
public final class UploadPolicy {
    public enum Mode {
        BLOCK,
        ALLOW
    }

    private final Mode mode;
    private final Set<String> extensions;
    private final Set<String> types;

    public UploadPolicy(Mode mode, Iterable<String> extensions, Iterable<String> types) {
        this.mode = mode;
        this.extensions = normalized(extensions);
        this.types = normalized(types);
    }

    public static Mode mode(String value) {
        return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /** Decided from the name alone, before any byte is read: false means reject with 415. */
    public boolean acceptsName(String originalName) {
        String effective = FileNames.effectiveExtension(originalName);
        String kept = FileNames.extension(originalName).toLowerCase(Locale.ROOT);
        if (mode == Mode.BLOCK) {
            return !extensions.contains(effective) && !extensions.contains(kept);
        }
        return extensions.isEmpty() || extensions.contains(kept);
    }

    /** Decided from the detected type and what it is known as (aliases, supertypes). */
    public boolean acceptsType(Set<String> detectedNames) {
        boolean listed =
                detectedNames.stream().map(t -> t.toLowerCase(Locale.ROOT)).anyMatch(this::typeListed);
        return mode == Mode.BLOCK ? !listed : types.isEmpty() || listed;
    }

    /** One sentence for the upload page. */
    public String describe() {
        List<String> sorted = extensions.stream().sorted().toList();
        if (mode == Mode.BLOCK) {
            return sorted.isEmpty()
                    ? "All file types are accepted."
                    : "Not accepted: " + String.join(", ", sorted) + " files, executables and web pages.";
        }
        return sorted.isEmpty()
                ? "Accepted: files of the allowed types."
                : "Accepted: " + String.join(", ", sorted) + " files.";
    }

    private boolean typeListed(String type) {
        if (types.contains(type)) {
            return true;
        }
        int slash = type.indexOf('/');
        return slash > 0 && types.contains(type.substring(0, slash) + "/*");
    }

    private static Set<String> normalized(Iterable<String> values) {
        Stream.Builder<String> all = Stream.builder();
        values.forEach(all);
        return all.build()
                .map(v -> v.trim().toLowerCase(Locale.ROOT))
                .map(v -> v.startsWith(".") ? v.substring(1) : v)
                .filter(v -> !v.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
