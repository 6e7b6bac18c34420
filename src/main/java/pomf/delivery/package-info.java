/**
 * Writing answer bodies without a thread per client: a body is pumped into the response as the client's socket
 * accepts it (Servlet non-blocking I/O), from any source that can say "not yet, I will call you" (the edge's chunks
 * and fills, the origin's blob files, a pass-through from the origin). Used by the edge and by the origin's file
 * serving alike. A stop (SIGTERM) lets the answers in flight finish before the node exits.
 */
package pomf.delivery;
