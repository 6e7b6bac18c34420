package pomf.admin.boundary;

import java.util.List;
import pomf.admin.entity.FileRow;

/** One page of the files table with the (capped) number of matches. */
record FilePageSlice(List<FileRow> rows, long total, boolean capped) {}
