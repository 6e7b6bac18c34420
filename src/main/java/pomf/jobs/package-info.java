/**
 * Work that must run once per interval among several origins on one database (issue 16): each origin's timer fires,
 * and the origin that claims the job in {@code job_run} does the work, holding it by an advisory lock of its database
 * session, which ends with the origin (so another takes the job at once after a crash). Work on what one instance holds (its temporary files, its in-memory counts) is not
 * claimed.
 */
package pomf.jobs;
