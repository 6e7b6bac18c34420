package pomf.edge.chaos;

/**
 * One byte range a client asks for ({@code Range: bytes=...}): {@code first-last}, open {@code first-}, or the
 * suffix {@code -length}. Resolved against a size by RFC 9110's rules, written here apart from the main code so the
 * checker does not share the edge's mistakes.
 */
record Span(long first, long last, long suffix) {
    static Span closed(long first, long last) {
        return new Span(first, last, -1);
    }

    static Span from(long first) {
        return new Span(first, -1, -1);
    }

    static Span suffix(long length) {
        return new Span(-1, -1, length);
    }

    String header() {
        if (suffix >= 0) {
            return "bytes=-" + suffix;
        }
        return "bytes=" + first + "-" + (last < 0 ? "" : Long.toString(last));
    }

    /** {first, last} of the bytes a 206 must carry from a body of {@code size} bytes, or null when unsatisfiable. */
    long[] resolve(long size) {
        if (size == 0) {
            return null;
        }
        if (suffix >= 0) {
            return suffix == 0 ? null : new long[] {Math.max(0, size - suffix), size - 1};
        }
        if (first >= size) {
            return null;
        }
        return new long[] {first, last < 0 ? size - 1 : Math.min(last, size - 1)};
    }
}
