package pomf.edge.chaos;

import java.nio.file.Path;

/**
 * The outcome of a chaos run: the counts that decide it, the printed table, and the folder with the events, the
 * problems (every failure in detail) and the edge's logs.
 *
 * @param answeredReady answers (with a status) to requests sent while the edge said it was ready
 * @param notFoundReady 404s for existing objects to requests sent while the edge said it was ready
 * @param failure what stopped the run early, or null
 */
public record ChaosResult(
        long seed,
        long answered,
        long answeredReady,
        long wrong,
        long errorPages,
        long notFoundExisting,
        long notFoundReady,
        long cut,
        long refused,
        long status5xx,
        long timeouts,
        String table,
        Path folder,
        String failure) {

    /** No wrong byte, no error page posing as content, no 404 for an object the origin had, and the run completed. */
    public boolean passed() {
        return failure == null && wrong == 0 && errorPages == 0 && notFoundExisting == 0;
    }
}
