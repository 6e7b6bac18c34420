/**
 * The administrator's side of files and caches: searching millions of stored files page by page, one file's
 * uploads, deleting and banning content with an audit trail, and each edge's cache figures and purges.
 */
package pomf.admin;
