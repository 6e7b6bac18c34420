/** The queue of links waiting for an administrator's look: public reports and hash-list matches. */
package pomf.review;
