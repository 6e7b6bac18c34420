package pomf.names.control;

/**
 * The shape of a stored name: 1–40 letters or digits, then up to two extensions of 1–12 letters or digits
 * ({@code abc123}, {@code abc123.mp4}, {@code abc123.tar.gz}). Checked by hand, without a regular expression: it runs
 * for every file request.
 */
public final class StoredNames {
    private StoredNames() {}

    /** The name in a path info ({@code /abc123.mp4}), or null when it is not one. */
    public static String fromPath(String pathInfo) {
        if (pathInfo.length() < 2 || pathInfo.charAt(0) != '/') {
            return null;
        }
        return valid(pathInfo, 1) ? pathInfo.substring(1) : null;
    }

    public static boolean valid(String name) {
        return name != null && valid(name, 0);
    }

    private static boolean valid(String s, int from) {
        int part = 0; // 0 = the base, then each extension
        int run = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (run == 0 || ++part > 2) {
                    return false;
                }
                run = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                if (++run > (part == 0 ? 40 : 12)) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return run > 0;
    }
}
