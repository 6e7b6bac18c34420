/**
 * DNS providers: the witness takes a dead edge's A record out of a round-robin set and puts it back through one of
 * them (RFC 2136 with TSIG, Namecheap, Cloudflare, or none for a dry run).
 */
package pomf.dns;
