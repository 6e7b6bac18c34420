/**
 * The witness: every tick it checks each edge node over HTTPS, ICMP and SSH, stores the results and strikes in
 * PostgreSQL, and takes a failing node out of DNS round-robin under the original's rules (4 strikes in an hour, at
 * most 3 nodes dead, never the last live node of a record).
 *
 * <p>Its words, one thing each:
 *
 * <ul>
 *   <li><b>check</b> ({@code Check}): one kind of test of a node (HTTPS, PING, SSH, CANARY);
 *   <li><b>finding</b> ({@code Finding}): what a probe saw, an {@code Outcome} and a detail, before it is stamped;
 *   <li><b>result</b> ({@code CheckResult}): one check of one node in one tick, stamped and stored;
 *   <li><b>strike</b>: a failed result that counts against its node, unless the tick was the witness's own fault
 *       ({@code Guard}) or, with a quorum, too few witnesses saw it;
 *   <li><b>decision</b> ({@code Decision}): the step that turns a tick's results into strikes, and strikes into
 *       kills and revivals by the {@code Rules}, through the {@code Judge}, whose answer for a node is a
 *       <b>ruling</b>.
 * </ul>
 */
package pomf.witness;
