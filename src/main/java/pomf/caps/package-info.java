/**
 * Caps on what one client may have in flight at once (issue 14, finding 6): uploads and answers, counted per client
 * key from the request's start to its asynchronous end. Slow clients hold no thread, but each holds a connection and
 * its buffers: a cap per address keeps one client's crowd of slow requests from being everyone's.
 */
package pomf.caps;
