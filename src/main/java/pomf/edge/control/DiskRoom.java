package pomf.edge.control;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Whether the edge's cache disk has room for more (nginx's {@code min_free}, held as a floor rather than by evicting):
 * below {@code minFree} free bytes the store stops writing and keeps serving what it holds, and it writes again once
 * space comes back. Writing into a full disk under Ehcache's files would fault (SIGBUS) at a random moment instead.
 * The free space is read (statvfs) at most every {@link #RECHECK_MILLIS}, so asking costs nothing per request.
 */
public final class DiskRoom {
    private static final Logger LOG = Logger.getLogger(DiskRoom.class.getName());
    static final long RECHECK_MILLIS = 500;

    private final String where;
    private final long minFree;
    private final LongSupplier free;
    private final LongSupplier clock;
    private volatile long checkedAt = Long.MIN_VALUE / 2;
    private volatile boolean roomy = true;

    /** Room on the file system holding {@code folder} (which must exist); {@code minFree} 0 never refuses. */
    public static DiskRoom of(Path folder, long minFree) {
        if (minFree <= 0) {
            return new DiskRoom(folder.toString(), 0, () -> Long.MAX_VALUE, System::currentTimeMillis);
        }
        FileStore store;
        try {
            store = Files.getFileStore(folder);
        } catch (IOException e) {
            LOG.warning(() -> "the free space under " + folder + " cannot be read (" + e + "): the edge cache will "
                    + "not stop writing before its disk is full");
            return new DiskRoom(folder.toString(), 0, () -> Long.MAX_VALUE, System::currentTimeMillis);
        }
        return new DiskRoom(
                folder.toString(),
                minFree,
                () -> {
                    try {
                        return store.getUsableSpace();
                    } catch (IOException e) {
                        return 0; // a disk we cannot even stat is no place to write
                    }
                },
                System::currentTimeMillis);
    }

    DiskRoom(String where, long minFree, LongSupplier free, LongSupplier clock) {
        this.where = where;
        this.minFree = minFree;
        this.free = free;
        this.clock = clock;
    }

    /** Whether {@code bytes} more can be written and leave {@code minFree} free (read now: for rare, large writes). */
    public boolean roomFor(long bytes) {
        return minFree == 0 || free.getAsLong() - bytes >= minFree;
    }

    /** True while the disk has at least {@code minFree} bytes free (as read at most {@link #RECHECK_MILLIS} ago). */
    public boolean roomy() {
        if (minFree == 0) {
            return true;
        }
        long now = clock.getAsLong();
        if (now - checkedAt >= RECHECK_MILLIS) {
            checkedAt = now;
            long available = free.getAsLong();
            boolean enough = available >= minFree;
            if (enough != roomy) {
                roomy = enough;
                if (enough) {
                    LOG.info(() -> "edge cache disk under " + where + " has room again (" + available
                            + " bytes free): the store takes new objects again");
                } else {
                    LOG.warning(() -> "edge cache disk under " + where + " has " + available + " bytes free, under "
                            + "pomf.edge.min-free (" + minFree + "): the store serves what it holds and stores "
                            + "nothing new (misses go to the origin) until space comes back");
                }
            }
        }
        return roomy;
    }
}
