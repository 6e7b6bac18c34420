package pomf.edge.chaos;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checker: an answer is right when its status is allowed for the request and the object's history, and its body
 * is exactly the bytes of the version its ETag names, for the range its Content-Range names, with Content-Length,
 * Content-Type and Last-Modified of that version. A body short of what was announced, then closed, is a cut; a body
 * short of the object's bytes that its framing presents as whole is wrong. Error pages posing as content and 404s
 * for objects the origin had throughout are counted apart.
 */
final class AnswerCheck {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");
    private static final Pattern UNSATISFIED = Pattern.compile("bytes \\*/(\\d+)");
    /**
     * An edge answers concurrent misses with one origin fetch, which may have started before the request: a 404 is
     * right when the object was gone at any time from this long before the request to its answer (longer than the
     * edge's connect and read timeouts and the origin's slowest headers). Only re-added names meet this; real
     * Pomf names are never reused.
     */
    static final long COLLAPSE_NANOS = 5_000_000_000L;

    private final OriginLedger ledger;
    private final byte[] errorPage;

    /** @param errorPage the WAR's error page (281 bytes today), whose bytes must never pose as content */
    AnswerCheck(OriginLedger ledger, byte[] errorPage) {
        this.ledger = ledger;
        this.errorPage = errorPage.clone();
    }

    /** What the body of an answer with this status and these headers must be. */
    BodyMatch expect(ChaosRequest request, int status, Map<String, String> headers) {
        if (status != 200 && status != 206) {
            return BodyMatch.unchecked();
        }
        Version version = ledger.version(request.path(), headers.get("etag")).orElse(null);
        if (version == null) {
            return BodyMatch.unchecked();
        }
        if (status == 200) {
            return new BodyMatch(version, 0, version.size());
        }
        Matcher range = CONTENT_RANGE.matcher(headers.getOrDefault("content-range", ""));
        if (!range.matches() || Long.parseLong(range.group(1)) >= version.size()) {
            return BodyMatch.unchecked();
        }
        long first = Long.parseLong(range.group(1));
        return new BodyMatch(version, first, Long.parseLong(range.group(2)) - first + 1);
    }

    Verdict judge(ChaosRequest request, WireAnswer answer, BodyMatch body) {
        if (body.firstDifference() >= 0) {
            return failure(answer, body, body.differenceText() + " of " + body.version());
        }
        if (!answer.answered()) {
            return switch (answer.ending()) {
                case REFUSED -> Verdict.of(Verdict.Kind.REFUSED, answer.error());
                case TIMEOUT -> Verdict.of(Verdict.Kind.TIMEOUT, "no status line in time");
                case STOPPED -> Verdict.of(Verdict.Kind.STOPPED, "");
                case MALFORMED ->
                    Verdict.of(
                            answer.error().contains("DOCTYPE") || answer.error().contains("html")
                                    ? Verdict.Kind.ERROR_PAGE
                                    : Verdict.Kind.WRONG,
                            "not HTTP (an earlier answer's leftovers on the connection?): " + answer.error());
                default -> Verdict.of(Verdict.Kind.CUT, "no status line: " + answer.error());
            };
        }
        int status = answer.status();
        if (status == 200 || status == 206) {
            return content(request, answer, body);
        }
        if (answer.ending() == WireAnswer.Ending.MALFORMED) {
            return Verdict.of(Verdict.Kind.WRONG, status + " with a malformed body: " + answer.error());
        }
        if (status >= 500 && status <= 599) {
            return Verdict.of(Verdict.Kind.STATUS_5XX, Integer.toString(status));
        }
        return switch (status) {
            case 304 -> notModified(request, answer);
            case 416 -> unsatisfiable(request, answer, body);
            case 404 ->
                ledger.presentThroughout(request.path(), answer.sentNanos() - COLLAPSE_NANOS, answer.endNanos())
                        ? Verdict.of(Verdict.Kind.NOT_FOUND_EXISTING, "404, yet the origin had the object throughout")
                        : Verdict.of(Verdict.Kind.OK, "");
            default -> Verdict.of(Verdict.Kind.WRONG, "unexpected status " + status);
        };
    }

    private Verdict content(ChaosRequest request, WireAnswer answer, BodyMatch body) {
        int status = answer.status();
        String etag = answer.header("etag");
        Version version = body.version();
        if (version == null) {
            return failure(
                    answer,
                    body,
                    status
                            + (etag == null
                                    ? " without an ETag"
                                    : " with ETag " + etag + ", no version of " + request.path()));
        }
        long expected = version.size();
        if (status == 206) {
            if (request.span() == null) {
                return failure(answer, body, "206 to a request without Range");
            }
            if (request.ifRange() != null && !request.ifRange().equals(etag)) {
                return failure(answer, body, "206 of " + etag + ", but If-Range named " + request.ifRange());
            }
            long[] span = request.span().resolve(version.size());
            String wanted = span == null ? "416" : "bytes " + span[0] + "-" + span[1] + "/" + version.size();
            if (!wanted.equals(answer.header("content-range"))) {
                return failure(
                        answer, body, "Content-Range " + answer.header("content-range") + ", expected " + wanted);
            }
            expected = span[1] - span[0] + 1;
        } else if (answer.header("content-range") != null) {
            return failure(answer, body, "200 with Content-Range " + answer.header("content-range"));
        }
        String problem = BodyHeaders.problem(answer, version, expected);
        if (problem != null) {
            return failure(answer, body, problem);
        }
        return switch (answer.ending()) {
            case COMPLETE ->
                body.received() == expected
                        ? Verdict.ok(older(version, answer))
                        : failure(
                                answer,
                                body,
                                body.received() + " bytes presented as a whole answer (" + answer.framing()
                                        + "), expected " + expected);
            case CUT -> Verdict.of(Verdict.Kind.CUT, body.received() + " of " + expected + " bytes");
            case TIMEOUT -> Verdict.of(Verdict.Kind.TIMEOUT, body.received() + " of " + expected + " bytes");
            case ABANDONED -> Verdict.of(Verdict.Kind.ABANDONED, "");
            case STOPPED -> Verdict.of(Verdict.Kind.STOPPED, "");
            default -> failure(answer, body, "malformed body: " + answer.error());
        };
    }

    private Verdict notModified(ChaosRequest request, WireAnswer answer) {
        String etag = answer.header("etag");
        if (request.ifNoneMatch().isEmpty()) {
            return Verdict.of(Verdict.Kind.WRONG, "304 to a request without If-None-Match");
        }
        if (etag == null || !request.ifNoneMatch().contains(etag)) {
            return Verdict.of(Verdict.Kind.WRONG, "304 with ETag " + etag + ", not one the request named");
        }
        return ledger.version(request.path(), etag).isPresent()
                ? Verdict.of(Verdict.Kind.OK, "")
                : Verdict.of(Verdict.Kind.WRONG, "304 naming " + etag + ", no version of " + request.path());
    }

    private Verdict unsatisfiable(ChaosRequest request, WireAnswer answer, BodyMatch body) {
        Matcher range = UNSATISFIED.matcher(answer.headers().getOrDefault("content-range", ""));
        if (request.span() == null || !range.matches()) {
            return failure(answer, body, "416 with Content-Range " + answer.header("content-range"));
        }
        long size = Long.parseLong(range.group(1));
        List<Version> versions = ledger.version(request.path(), answer.header("etag"))
                .map(List::of)
                .orElse(ledger.versions(request.path()));
        boolean fits = versions.stream()
                .anyMatch(v -> v.size() == size && request.span().resolve(size) == null);
        return fits
                ? Verdict.of(Verdict.Kind.OK, "")
                : failure(answer, body, "416 (size " + size + ") for a range the version satisfies");
    }

    /** A wrong answer, or an error page posing as content when its bytes are the WAR's error page. */
    private Verdict failure(WireAnswer answer, BodyMatch body, String reason) {
        return Verdict.of(
                BodyHeaders.showsErrorPage(answer, body, errorPage) ? Verdict.Kind.ERROR_PAGE : Verdict.Kind.WRONG,
                reason);
    }

    private boolean older(Version version, WireAnswer answer) {
        Version latest = null;
        for (Version v : ledger.versions(version.path())) {
            if (v.bornNanos() - answer.sentNanos() <= 0) {
                latest = v;
            }
        }
        return latest != null && !latest.etag().equals(version.etag());
    }
}
