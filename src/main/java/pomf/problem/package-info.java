/** Errors of the JSON API as {@code application/problem+json} (RFC 9457): one exception, one mapper. */
package pomf.problem;
