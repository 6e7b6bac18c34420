/**
 * The edge cache: a servlet filter in front of {@code /f/*} that serves stored files from an Ehcache heap + disk
 * store in fixed chunks, filled from the origin over HTTP with nginx proxy_cache semantics (min uses, one fetch per
 * object, stale on origin failure, revalidation, forced ranges) and a circuit breaker and purge on top.
 */
package pomf.edge;
