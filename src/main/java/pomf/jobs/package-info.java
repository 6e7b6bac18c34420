/**
 * Work that must run once per interval among several origins on one database (issue 16): each origin's timer fires,
 * and the origin that claims the job's row in {@code job_run} does the work, under a lease that another origin
 * takes over after a crash. Work on what one instance holds (its temporary files, its in-memory counts) is not
 * claimed.
 */
package pomf.jobs;
