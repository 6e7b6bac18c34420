package pomf.traffic.entity;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Rows drained together from one instance, written at most once under their id (a retry after a lost answer is
 * recognised by it). Small enough for the ingest endpoint's limits.
 */
public record Batch(String node, UUID id, List<MinuteRow> minutes, List<FileHourRow> files) {
    public static final int MAX_MINUTES = 5_000;
    public static final int MAX_FILES = 20_000;

    public Batch {
        minutes = List.copyOf(minutes);
        files = List.copyOf(files);
    }

    public boolean empty() {
        return minutes.isEmpty() && files.isEmpty();
    }

    /** The rows as batches within the limits, each with a new random id; none when there are no rows. */
    public static List<Batch> of(String node, List<MinuteRow> minutes, List<FileHourRow> files) {
        List<Batch> batches = new ArrayList<>();
        int m = 0;
        int f = 0;
        while (m < minutes.size() || f < files.size()) {
            int mEnd = Math.min(minutes.size(), m + MAX_MINUTES);
            int fEnd = Math.min(files.size(), f + MAX_FILES);
            batches.add(new Batch(node, UUID.randomUUID(), minutes.subList(m, mEnd), files.subList(f, fEnd)));
            m = mEnd;
            f = fEnd;
        }
        return batches;
    }
}
