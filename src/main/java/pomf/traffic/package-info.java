/**
 * Traffic records: every file answer (origin and edge) is tallied in memory per role and UTC minute, and per file
 * and UTC hour, then written in idempotent batches to PostgreSQL (directly, or by an edge through the origin's
 * {@code /api/v1/traffic}); monthly partitions are created ahead and dropped past retention.
 */
package pomf.traffic;
