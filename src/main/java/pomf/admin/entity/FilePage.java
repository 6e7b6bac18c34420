package pomf.admin.entity;

import java.util.List;

/**
 * One page of a file search. {@code total} is exact up to the count cap; beyond it {@code capped} is set and
 * {@code total} is the cap ("more than 10,000"), so a broad search never counts millions of rows.
 */
public record FilePage(List<FileRow> items, long offset, int limit, long total, boolean capped) {}
