/** Which parts one instance plays ({@code pomf.roles}: origin, edge, witness, admin): one WAR everywhere. */
package pomf.roles;
