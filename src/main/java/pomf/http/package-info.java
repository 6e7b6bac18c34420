/**
 * What every HTTP part of every role shares: byte ranges and conditional requests, the client's address behind
 * trusted proxies and rate limits keyed by it, bearer tokens, and the link between edges and their origin (its URL,
 * the shared token, the header an edge's own fetches carry). It imports no other feature but {@code untrusted}.
 */
package pomf.http;
