/**
 * Text a client chose (a login name, a hop of a proxy's header, a reason), made fit to write into one log line or
 * one audit-trail field: nothing in it can end the line or steer a terminal, and it is of bounded length.
 */
package pomf.untrusted;
