package pomf.edge.chaos;

/**
 * The judgement of one answer. Only {@link Kind#WRONG}, {@link Kind#ERROR_PAGE} and {@link Kind#NOT_FOUND_EXISTING}
 * are failures of the edge; the others are honest outcomes of faults (a cut connection tells the client it has not
 * got everything; a 5xx says so with its status).
 *
 * @param olderVersion a right answer carrying a version older than the origin's latest when the request was sent
 */
record Verdict(Kind kind, String reason, boolean olderVersion) {
    enum Kind {
        OK("ok"),
        CUT("cut"),
        ABANDONED("abandoned"),
        REFUSED("refused"),
        TIMEOUT("timeout"),
        STATUS_5XX("5xx"),
        NOT_FOUND_EXISTING("404 existing"),
        ERROR_PAGE("error page"),
        WRONG("WRONG"),
        /** Cut by the end of the run: not counted, unless its bytes were wrong (then it is WRONG). */
        STOPPED("stopped");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean failure() {
            return this == WRONG || this == ERROR_PAGE || this == NOT_FOUND_EXISTING;
        }
    }

    static Verdict of(Kind kind, String reason) {
        return new Verdict(kind, reason, false);
    }

    static Verdict ok(boolean olderVersion) {
        return new Verdict(Kind.OK, olderVersion ? "an older version" : "", olderVersion);
    }
}
