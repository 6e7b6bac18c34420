package pomf.edge.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.LongPredicate;
import java.util.logging.Logger;
import java.util.stream.Stream;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;

/**
 * Large fresh objects also kept as plain files, mapped read-only, so the listener hands their bodies to the socket
 * straight from the page cache: no copy through the heap, no chunk lookups per answer, the next bytes read ahead by
 * the kernel while the socket takes these. The chunks in Ehcache stay the cache: a file is written from them once an
 * object larger than the listener's in-memory answers is hit, only ever used for an object the store still holds
 * fresh under the same version (the name, the origin's ETag and the size are its key, and a name gets a new file
 * for each version, so a file never answers for other bytes), and disposable (the folder is emptied at start; an
 * object without its file yet is answered from the chunks, as before).
 *
 * <p>The files take at most {@code budget} bytes of disk beside the store; the least recently used go first, never
 * one handed out within the grace. A purge or takedown makes its name's files unreachable at once and deletes them
 * after the grace. A mapping stays valid after its file is deleted: answers under way finish from it, and the disk
 * space comes back when the last of them is done and the collector has dropped the mapping.
 */
public final class HotFiles {
    private static final Logger LOG = Logger.getLogger(HotFiles.class.getName());
    /** Bodies up to this size are answered from the chunks in memory at once; only larger objects get a file. */
    public static final int MEMORY_LIMIT = 1 << 20;
    /** How long a file handed to an answer is kept before a purge or eviction may delete it. */
    static final long GRACE_MILLIS = 10_000;

    private final long grace;
    private final LongPredicate room;
    /** After a failed write (chunks gone meanwhile, disk full), how long before that object is tried again. */
    private static final long RETRY_MILLIS = 30_000;

    private final Path folder;
    private final long budget;
    private final long minSize;
    private final BiFunction<CachedObject, Integer, Chunk> chunks;
    private final ScheduledExecutorService writer;
    private final Map<String, Hot> files = new ConcurrentHashMap<>();
    /** Keys being written, or failed at the time given (not tried again before {@link #RETRY_MILLIS}). */
    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    /** Names purged or taken down, and when: a file of one being written then is not kept. */
    private final Map<String, Long> forgotten = new ConcurrentHashMap<>();

    private final AtomicLong used = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    /** A file on disk: its size, and when it was last handed out (milliseconds). */
    private static final class Hot {
        final String name;
        final Path path;
        final long size;
        final ByteBuffer mapped;
        volatile long lastUsed;

        Hot(String name, Path path, long size, ByteBuffer mapped, long now) {
            this.name = name;
            this.path = path;
            this.size = size;
            this.mapped = mapped;
            this.lastUsed = now;
        }
    }

    /**
     * @param folder where the files live; emptied now
     * @param budget the most bytes of files at once; 0 keeps none
     * @param minSize objects up to this size get no file (they are answered from memory)
     * @param chunks an object's stored chunk by index, or null when it is not stored (whole)
     * @param writer a single background thread: writes the files, deletes them after their grace
     * @param room whether the disk has room for a file of so many bytes (above the edge's min-free after writing it)
     */
    public HotFiles(
            Path folder,
            long budget,
            long minSize,
            BiFunction<CachedObject, Integer, Chunk> chunks,
            ScheduledExecutorService writer,
            LongPredicate room) {
        this(folder, budget, minSize, chunks, writer, room, GRACE_MILLIS);
    }

    HotFiles(
            Path folder,
            long budget,
            long minSize,
            BiFunction<CachedObject, Integer, Chunk> chunks,
            ScheduledExecutorService writer,
            LongPredicate room,
            long grace) {
        this.room = room;
        this.grace = grace;
        this.folder = folder;
        this.budget = Math.max(0, budget);
        this.minSize = minSize;
        this.chunks = chunks;
        this.writer = writer;
        if (this.budget > 0) {
            try {
                Files.createDirectories(folder);
                try (Stream<Path> old = Files.list(folder)) {
                    for (Path p : (Iterable<Path>) old::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("edge file copies folder " + folder + " is not writable", e);
            }
        }
    }

    /**
     * The file holding exactly {@code object}'s body, if there is one; otherwise null, and a file for it is written
     * in the background when the object is one to keep (large, within the budget, every chunk stored).
     * {@code object} must be the store's current, fresh copy: that is what makes the file's bytes its bytes.
     */
    public ByteBuffer find(CachedObject object) {
        if (budget == 0 || object.size() <= minSize || object.size() > Math.min(budget, Integer.MAX_VALUE)) {
            return null;
        }
        String key = key(object);
        long now = System.currentTimeMillis();
        Hot hot = files.get(key);
        if (hot != null) {
            hot.lastUsed = now;
            return hot.mapped.duplicate();
        }
        Long failed = pending.get(key);
        if (failed != null && (failed == 0 || now - failed < RETRY_MILLIS)) {
            return null;
        }
        if (failed == null ? pending.putIfAbsent(key, 0L) == null : pending.replace(key, failed, 0L)) {
            try {
                writer.execute(() -> write(object, key, now));
            } catch (RejectedExecutionException e) {
                pending.remove(key); // closing
            }
        }
        return null;
    }

    /** Makes {@code name}'s files unreachable now (purged, taken down) and deletes them after the grace. */
    public void forget(String name) {
        if (budget == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        forgotten.put(name, now);
        files.values().removeIf(hot -> {
            if (hot.name.equals(name)) {
                deleteLater(hot);
                return true;
            }
            return false;
        });
        forgotten.values().removeIf(at -> now - at > 10 * Math.max(grace, GRACE_MILLIS));
    }

    /** Bytes of files on disk (for tests and metrics). */
    public long used() {
        return used.get();
    }

    /** Files on disk (for tests). */
    int count() {
        return files.size();
    }

    /** Writes {@code object}'s file, asked for at {@code asked} (a purge since then discards it). */
    private void write(CachedObject object, String key, long asked) {
        long started = System.currentTimeMillis();
        Path target = folder.resolve(fileName(object.name()));
        Path part = folder.resolve(target.getFileName() + ".part");
        boolean kept = false;
        try {
            if (!room.test(object.size()) || !makeRoom(object.size(), started)) {
                return;
            }
            try (FileChannel out = FileChannel.open(
                    part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                for (int i = 0; i < object.chunkCount(); i++) {
                    Chunk chunk = chunks.apply(object, i);
                    if (chunk == null || chunk.length() != object.chunkLength(i)) {
                        return; // not stored whole (any more): the ordinary path answers it
                    }
                    ByteBuffer bytes = ByteBuffer.wrap(chunk.bytes(), 0, chunk.length());
                    while (bytes.hasRemaining()) {
                        out.write(bytes);
                    }
                }
                if (out.size() != object.size()) {
                    return;
                }
            }
            Long purged = forgotten.get(object.name());
            if (purged != null && purged >= asked) {
                return; // purged or taken down since it was asked for
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            ByteBuffer mapped;
            try (FileChannel in = FileChannel.open(target, StandardOpenOption.READ)) {
                mapped = in.map(FileChannel.MapMode.READ_ONLY, 0, object.size());
            }
            used.addAndGet(object.size());
            Hot hot = new Hot(object.name(), target, object.size(), mapped, System.currentTimeMillis());
            files.put(key, hot);
            kept = true;
            purged = forgotten.get(object.name());
            if (purged != null && purged >= asked && files.remove(key, hot)) {
                delete(hot); // the purge came between the check above and now
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "a file copy of " + object.name() + " could not be written (answered from the "
                    + "store meanwhile): " + e);
        } finally {
            if (kept) {
                pending.remove(key);
            } else {
                pending.put(key, System.currentTimeMillis());
                try {
                    Files.deleteIfExists(part);
                } catch (IOException e) {
                    LOG.fine(() -> "leftover " + part + ": " + e);
                }
            }
        }
    }

    /**
     * Evicts the least recently used files until {@code size} more bytes fit the budget, never one handed out within
     * the grace: false when that is not enough (every file in use), and the object then gets no file for now.
     */
    private boolean makeRoom(long size, long now) {
        while (used.get() + size > budget) {
            Hot oldest = files.values().stream()
                    .filter(hot -> now - hot.lastUsed >= grace)
                    .min(Comparator.comparingLong(hot -> hot.lastUsed))
                    .orElse(null);
            if (oldest == null) {
                return false;
            }
            if (files.values().remove(oldest)) {
                delete(oldest);
            }
        }
        return true;
    }

    private void deleteLater(Hot hot) {
        try {
            writer.schedule(() -> delete(hot), grace, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            delete(hot); // closing: nothing is sent any more
        }
    }

    private void delete(Hot hot) {
        try {
            Files.deleteIfExists(hot.path);
        } catch (IOException e) {
            LOG.warning(() -> "file copy " + hot.path + " could not be deleted: " + e);
        } finally {
            used.addAndGet(-hot.size);
        }
    }

    private static String key(CachedObject object) {
        return object.name() + "|" + object.etag() + "|" + object.size();
    }

    /** A file name of its own (a sequence: the folder is emptied at every start), after the stored name. */
    private String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_") + "." + sequence.incrementAndGet();
    }
}
