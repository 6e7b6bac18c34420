/**
 * Resumable uploads (tus 1.0 at {@code /api/v1/tus/}): bytes appended as they come, offsets and hashes kept across
 * restarts, and at the last byte the same path as a form upload ({@code upload.boundary.Publisher}).
 */
package pomf.tus;
