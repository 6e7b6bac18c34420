/**
 * The witness: every tick it checks each edge node over HTTPS, ICMP and SSH, stores the results and strikes in
 * PostgreSQL, and takes a failing node out of DNS round-robin under the original's rules (4 strikes in an hour, at
 * most 3 nodes dead, never the last live node of a record).
 */
package pomf.witness;
