/** Who may use the administrative JSON API: a bearer token from the environment (admin sessions come later). */
package pomf.access;
