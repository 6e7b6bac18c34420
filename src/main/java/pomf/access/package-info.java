/**
 * Who may use the admin pages and the administrative JSON API: a bearer token from the environment, or an
 * administrator's session from the login page (accounts with PBKDF2 hashes, lockouts per account and address, a
 * credentials version checked on every request, so a removed account or a changed password ends its sessions).
 */
package pomf.access;
