package pomf.storage.control;

import java.util.Locale;
import java.util.Set;

/**
 * The Content-Type a stored file is served with. Types a browser would run script from in the file host's origin
 * (HTML, SVG, XML, JavaScript) are sent as plain text; everything goes out with nosniff and a sandbox policy too.
 */
public final class SafeContentType {
    private static final Set<String> SCRIPTABLE = Set.of(
            "text/html",
            "application/xhtml+xml",
            "image/svg+xml",
            "text/xml",
            "application/xml",
            "text/javascript",
            "application/javascript",
            "application/x-javascript",
            "application/ecmascript",
            "text/ecmascript",
            "application/x-shockwave-flash",
            "text/xsl",
            "application/xslt+xml",
            "application/rdf+xml",
            "application/mathml+xml",
            "text/vtt",
            "multipart/x-mixed-replace");

    private SafeContentType() {}

    public static String of(String detected) {
        if (detected == null || detected.isBlank()) {
            return "application/octet-stream";
        }
        String base = detected.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (SCRIPTABLE.contains(base) || base.endsWith("+xml")) {
            return "text/plain; charset=UTF-8";
        }
        if (base.startsWith("text/")) {
            return base.equals("text/plain") ? "text/plain; charset=UTF-8" : base;
        }
        return base;
    }
}
