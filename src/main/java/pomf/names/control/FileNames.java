package pomf.names.control;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Naming rules: stored names are random, extensions are kept only when sane, original names are data only.
 */
public final class FileNames {
    /** [a-zA-Z0-9] without look-alikes (0 O o 1 l I). */
    static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static final int RANDOM_LENGTH = 8;
    /** Shorter names are found by guessing; longer ones do not fit the registry's column with an extension. */
    public static final int MIN_RANDOM_LENGTH = 6;

    public static final int MAX_RANDOM_LENGTH = 24;
    public static final int MAX_ORIGINAL_LENGTH = 255;
    static final int MAX_EXTENSION_LENGTH = 12;
    private static final List<String> DOUBLE_EXTENSIONS =
            List.of("tar.gz", "tar.bz2", "tar.xz", "tar.zst", "tar.lz", "tar.lzma", "user.js");
    private static final Pattern SANE = Pattern.compile("[a-zA-Z0-9]{1," + MAX_EXTENSION_LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileNames() {}

    /** A new stored name: random characters plus the sane extension of the original name, if any. */
    public static String storedName(String originalName) {
        return storedName(originalName, RANDOM_LENGTH);
    }

    /** A new stored name of {@code length} random characters plus the sane extension of the original name. */
    public static String storedName(String originalName, int length) {
        String extension = extension(originalName);
        return randomPart(length) + (extension.isEmpty() ? "" : "." + extension);
    }

    static String randomPart() {
        return randomPart(RANDOM_LENGTH);
    }

    static String randomPart(int length) {
        if (length < MIN_RANDOM_LENGTH || length > MAX_RANDOM_LENGTH) {
            throw new IllegalArgumentException("a stored name has " + MIN_RANDOM_LENGTH + " to " + MAX_RANDOM_LENGTH
                    + " random characters, not " + length);
        }
        char[] name = new char[length];
        for (int i = 0; i < name.length; i++) {
            name[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(name);
    }

    /**
     * The extension to keep, without the dot: a known double extension whatever the number of dots, otherwise
     * the last one; case kept, empty when it is not {@code [a-z0-9]} (case-insensitive) of a sane length.
     */
    public static String extension(String originalName) {
        String base = baseName(originalName);
        String lower = base.toLowerCase(Locale.ROOT);
        for (String known : DOUBLE_EXTENSIONS) {
            if (lower.endsWith("." + known) && lower.length() > known.length() + 1) {
                return base.substring(base.length() - known.length());
            }
        }
        int dot = base.lastIndexOf('.');
        if (dot <= 0 || dot == base.length() - 1) {
            return "";
        }
        String extension = base.substring(dot + 1);
        // Matched as given: lower-casing first would let U+212A KELVIN SIGN pass as "k" into the stored name.
        return SANE.matcher(extension).matches() ? extension : "";
    }

    /**
     * The extension as an operating system would see it, lower-cased, for block lists: trailing dots and spaces
     * (which Windows drops) do not hide {@code evil.exe. } from the {@code exe} rule.
     */
    public static String effectiveExtension(String originalName) {
        String base = baseName(originalName).toLowerCase(Locale.ROOT).replaceAll("[. ]+$", "");
        int dot = base.lastIndexOf('.');
        return dot < 0 ? "" : base.substring(dot + 1);
    }

    /** The original name as data: control characters removed, bounded in length, never used as a path. */
    public static String originalName(String given) {
        if (given == null) {
            return "";
        }
        StringBuilder clean = new StringBuilder(Math.min(given.length(), MAX_ORIGINAL_LENGTH));
        given.codePoints()
                .filter(c -> !Character.isISOControl(c)
                        && Character.getType(c) != Character.FORMAT
                        && Character.getType(c) != Character.SURROGATE)
                .limit(MAX_ORIGINAL_LENGTH)
                .forEach(clean::appendCodePoint);
        return clean.toString().strip();
    }

    /** The last path segment, for clients that send a whole path ({@code C:\dir\a.txt}, {@code ../../a.txt}). */
    static String baseName(String name) {
        String clean = originalName(name);
        int cut = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
        return clean.substring(cut + 1);
    }
}
