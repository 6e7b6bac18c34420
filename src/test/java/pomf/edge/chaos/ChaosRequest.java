package pomf.edge.chaos;

import java.util.List;

/**
 * One request of a chaos client: which object, which bytes, which conditions, and whether the client hangs up after
 * {@code abandonAfter} body bytes (a viewer closing a video; -1 reads to the end).
 *
 * @param kind what sort of read this is, for the report (whole, range, seek, if-none-match, ...)
 * @param ifNoneMatch ETags for If-None-Match, empty for none
 * @param ifRange the ETag for If-Range (only with a span), or null
 */
record ChaosRequest(String kind, String path, Span span, List<String> ifNoneMatch, String ifRange, long abandonAfter) {
    static ChaosRequest whole(String kind, String path) {
        return new ChaosRequest(kind, path, null, List.of(), null, -1);
    }

    static ChaosRequest range(String kind, String path, Span span) {
        return new ChaosRequest(kind, path, span, List.of(), null, -1);
    }

    ChaosRequest abandoningAfter(long bytes) {
        return new ChaosRequest(kind, path, span, ifNoneMatch, ifRange, bytes);
    }

    ChaosRequest ifNoneMatch(List<String> etags) {
        return new ChaosRequest(kind, path, span, List.copyOf(etags), ifRange, abandonAfter);
    }

    ChaosRequest ifRange(String etag) {
        return new ChaosRequest(kind, path, span, ifNoneMatch, etag, abandonAfter);
    }

    /** The request's header lines, each ending in CRLF. */
    String headerLines() {
        StringBuilder lines = new StringBuilder();
        if (span != null) {
            lines.append("Range: ").append(span.header()).append("\r\n");
        }
        if (!ifNoneMatch.isEmpty()) {
            lines.append("If-None-Match: ")
                    .append(String.join(", ", ifNoneMatch))
                    .append("\r\n");
        }
        if (ifRange != null) {
            lines.append("If-Range: ").append(ifRange).append("\r\n");
        }
        return lines.toString();
    }

    @Override
    public String toString() {
        return "GET " + path + " [" + kind + "] " + headerLines().replace("\r\n", "; ")
                + (abandonAfter >= 0 ? "hang up after " + abandonAfter + " B" : "");
    }
}
