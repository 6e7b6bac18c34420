package pomf.untrusted.control;

/**
 * Neutral forms of untrusted text. Control characters (C0, DEL, C1 such as NEL), line and paragraph separators,
 * format characters (bidi overrides, zero-width ones) and lone surrogates are written as escapes ({@code \n},
 * {@code \r}, {@code \t}, else a backslash, {@code u} and four hex digits per UTF-16 unit), a backslash as two, so
 * what was typed can be read back unambiguously; past the limit the text is cut and ends with {@value #CUT}.
 * Ordinary text, a valid user name or an address, comes back as it is.
 */
public final class UntrustedText {
    /** Characters kept by default: the longest valid user name. */
    public static final int NAME_LIMIT = 64;

    public static final String CUT = "…";

    private UntrustedText() {}

    /** At most {@value #NAME_LIMIT} characters, then {@value #CUT}; null gives the empty text. */
    public static String neutral(String text) {
        return neutral(text, NAME_LIMIT);
    }

    /** At most {@code limit} characters (escapes included, never split), then {@value #CUT} when cut. */
    public static String neutral(String text, int limit) {
        if (text == null) {
            return "";
        }
        if (text.length() <= limit && plain(text)) {
            return text; // the common case costs one scan and no copy
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), limit) + CUT.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            String piece = needsEscape(c) ? escape(text, i, width) : text.substring(i, i + width);
            if (out.length() + piece.length() > limit) {
                return out.append(CUT).toString();
            }
            out.append(piece);
            i += width;
        }
        return out.toString();
    }

    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c == '\\' || c < 0x20 || c >= 0x7f && needsEscape(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean needsEscape(int c) {
        if (c == '\\') {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }

    private static String escape(String text, int at, int width) {
        return switch (text.charAt(at)) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> {
                StringBuilder units = new StringBuilder();
                for (int i = at; i < at + width; i++) {
                    units.append(String.format("\\u%04x", (int) text.charAt(i)));
                }
                yield units.toString();
            }
        };
    }
}
