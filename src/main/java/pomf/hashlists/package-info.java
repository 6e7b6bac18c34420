/**
 * Hash lists that child-protection bodies and abuse desks publish: imported by COPY, their matches quarantined with a
 * review item each; MD5 computed on uploads only while a list holds MD5 entries, older links hashed by a sweep.
 */
package pomf.hashlists;
