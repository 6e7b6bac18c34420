package pomf.edge.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ehcache.Cache;
import org.ehcache.PersistentCacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.spi.serialization.SerializerException;
import pomf.edge.entity.CachedObject;
import pomf.edge.entity.Chunk;

/**
 * The Ehcache store of one edge: object descriptions and chunks, on the heap and in a persistent disk tier. The heap
 * tiers hold decoded objects and checked chunks by reference, so a hit copies and checks nothing. Any store failure
 * (disk full, a corrupt tier) is logged and reads as a miss, so the edge keeps passing requests to the origin. A
 * marker file tells a clean restart (warm) from a crash (Ehcache wipes the tier: cold).
 *
 * <p>A chunk read from the disk tier costs three copies of it on the heap (two inside Ehcache, one to check it) and
 * its checksum, about 3 MiB of garbage per MiB. While any answer still holds a chunk that came out of the store, the
 * next reader of that chunk gets the same one ({@link #held}), whether or not the heap tier has let it go: a crowd on
 * more chunks than the heap tier keeps (viewers spread over many videos, or two thousand ranges hung up at once)
 * reads each chunk from disk once while it is in use, not once per answer. What nothing holds any more is
 * forgotten at the next collection, so this keeps no memory of its own.
 */
public final class EdgeStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EdgeStore.class.getName());
    private static final String CLEAN = "closed-cleanly";

    private final Path folder;
    private final PersistentCacheManager manager;
    private final Cache<String, CachedObject> objects;
    private final Cache<String, Chunk> chunks;
    private volatile boolean closed;
    /** Set when the disk tier faults at the memory level (a full disk under a mapped file): stop using it. */
    private volatile boolean broken;
    /** Damaged chunks read one after the other; a sound read resets it. */
    private final AtomicInteger damaged = new AtomicInteger();

    private static final int DAMAGED_IN_A_ROW = 8;
    /** Whether the disk has room for new chunks; set once the folder exists. */
    private final DiskRoom room;
    /** Chunks out of the store that something may still hold, by key; entries go when their chunk is collected. */
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    private final ReferenceQueue<Chunk> collected = new ReferenceQueue<>();

    /** A chunk handed out by the store, for as long as something else holds it. */
    private static final class Held extends WeakReference<Chunk> {
        final String key;

        Held(String key, Chunk chunk, ReferenceQueue<Chunk> queue) {
            super(chunk, queue);
            this.key = key;
        }
    }

    /** A store that writes until the disk is full (tests). */
    public EdgeStore(Path folder, long maxBytes, int heapChunks) {
        this(folder, maxBytes, heapChunks, f -> DiskRoom.of(f, 0));
    }

    /**
     * @param minFree free bytes the disk keeps: below them the store serves what it holds and stores no new chunks
     */
    public EdgeStore(Path folder, long maxBytes, int heapChunks, long minFree) {
        this(folder, maxBytes, heapChunks, f -> DiskRoom.of(f, minFree));
    }

    EdgeStore(Path folder, long maxBytes, int heapChunks, Function<Path, DiskRoom> room) {
        this.folder = folder;
        boolean fresh = !Files.isDirectory(folder) || isEmpty(folder);
        boolean warm = Files.exists(folder.resolve(CLEAN));
        try {
            Files.createDirectories(folder);
            Files.deleteIfExists(folder.resolve(CLEAN));
        } catch (IOException e) {
            throw new UncheckedIOException("edge cache folder " + folder + " is not writable", e);
        }
        this.room = room.apply(folder);
        long objectsMb = Math.max(8, maxBytes / (1024 * 1024) / 256);
        long chunksMb = Math.max(16, maxBytes / (1024 * 1024) - objectsMb);
        PersistentCacheManager opened;
        try {
            opened = open(folder, objectsMb, chunksMb, heapChunks);
        } catch (RuntimeException e) {
            // Written by another version (another value format), or damaged: a cold cache beats no edge.
            LOG.log(Level.WARNING, "edge cache in " + folder + " cannot be opened: it is discarded and starts cold", e);
            deleteContents(folder);
            opened = open(folder, objectsMb, chunksMb, heapChunks);
            fresh = true;
        }
        manager = opened;
        objects = manager.getCache("objects", String.class, CachedObject.class);
        chunks = manager.getCache("chunks", String.class, Chunk.class);
        if (fresh) {
            LOG.info(() -> "edge cache created in " + folder);
        } else if (!warm) {
            LOG.warning(() -> "edge cache in " + folder + " starts cold: the previous run did not close it cleanly "
                    + "(killed or crashed), so Ehcache discarded its disk tier; it refills from the origin");
        } else {
            LOG.info(() -> "edge cache in " + folder + " reopened warm");
        }
    }

    private static PersistentCacheManager open(Path folder, long objectsMb, long chunksMb, int heapChunks) {
        return CacheManagerBuilder.newCacheManagerBuilder()
                .with(CacheManagerBuilder.persistence(folder.toFile()))
                .withCache(
                        "objects",
                        CacheConfigurationBuilder.newCacheConfigurationBuilder(
                                        String.class,
                                        CachedObject.class,
                                        ResourcePoolsBuilder.newResourcePoolsBuilder()
                                                .heap(10_000, EntryUnit.ENTRIES)
                                                .disk(objectsMb, MemoryUnit.MB, true))
                                .withValueSerializer(new ObjectSerializer()))
                .withCache(
                        "chunks",
                        CacheConfigurationBuilder.newCacheConfigurationBuilder(
                                        String.class,
                                        Chunk.class,
                                        ResourcePoolsBuilder.newResourcePoolsBuilder()
                                                .heap(Math.max(1, heapChunks), EntryUnit.ENTRIES)
                                                .disk(chunksMb, MemoryUnit.MB, true))
                                .withValueSerializer(new ChunkSerializer()))
                .build(true);
    }

    private static void deleteContents(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.equals(folder))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("edge cache folder " + folder + " cannot be cleared", e);
        }
    }

    /** False once the disk tier has failed: the edge then passes every request through. */
    public boolean usable() {
        return !broken && !closed;
    }

    /**
     * True when the store takes new objects: usable, and its disk above {@code pomf.edge.min-free}. Below it, what is
     * stored is still served, but chunks are no longer written (a fill in progress streams its bytes without keeping
     * them).
     */
    public boolean writable() {
        return usable() && room.roomy();
    }

    /** The disk's room, for other files the edge keeps beside the store. */
    public DiskRoom room() {
        return room;
    }

    /** The object stored under a name, or null. */
    public CachedObject object(String name) {
        return guard(() -> objects.get(name));
    }

    public void put(CachedObject object) {
        guard(() -> {
            objects.put(object.name(), object);
            return null;
        });
    }

    /**
     * A stored chunk, or null when absent or damaged. A damaged chunk (its checksum disagrees) is removed, so it reads
     * as absent from then on and is fetched again; a disk tier that keeps handing back damaged chunks (full, failing)
     * is switched off.
     */
    public Chunk chunk(String key) {
        if (closed || broken) {
            return null;
        }
        Held ref = held.get(key);
        Chunk shared = ref == null ? null : ref.get();
        if (shared != null) {
            return shared;
        }
        try {
            Chunk chunk = chunks.get(key);
            if (chunk != null) {
                damaged.set(0);
                hold(key, chunk);
            }
            return chunk;
        } catch (RuntimeException | Error e) {
            if (!damage(e)) {
                failed(e);
                return null;
            }
            guard(() -> {
                chunks.remove(key);
                return null;
            });
            if (damaged.incrementAndGet() >= DAMAGED_IN_A_ROW && !broken) {
                broken = true;
                LOG.severe(() -> "edge cache disk tier returned " + DAMAGED_IN_A_ROW + " damaged chunks in a row (disk "
                        + "full or failing?): the store is off, every request goes to the origin until this edge "
                        + "restarts with a sound disk under " + folder);
            }
            return null;
        }
    }

    private static boolean damage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SerializerException) {
                return true;
            }
        }
        return false;
    }

    public boolean hasChunk(String key) {
        Boolean present = guard(() -> chunks.containsKey(key));
        return present != null && present;
    }

    public void putChunk(String key, byte[] bytes) {
        putChunk(key, bytes, bytes.length);
    }

    /** Stores the first {@code length} bytes of {@code bytes} (a fill's buffer: what follows is room for the seal). */
    public void putChunk(String key, byte[] bytes, int length) {
        if (!room.roomy()) {
            return;
        }
        Chunk chunk = new Chunk(bytes, length);
        guard(() -> {
            chunks.put(key, chunk);
            return null;
        });
        hold(key, chunk);
    }

    private void hold(String key, Chunk chunk) {
        for (Object gone; (gone = collected.poll()) != null; ) {
            held.remove(((Held) gone).key, gone);
        }
        held.put(key, new Held(key, chunk, collected));
    }

    /** The number of chunks remembered as possibly held (tests). */
    int heldCount() {
        for (Object gone; (gone = collected.poll()) != null; ) {
            held.remove(((Held) gone).key, gone);
        }
        return held.size();
    }

    /** Removes an object and its chunks. */
    public void remove(CachedObject object) {
        guard(() -> {
            objects.remove(object.name());
            for (int i = 0; i < object.chunkCount(); i++) {
                held.remove(object.chunkKey(i));
                chunks.remove(object.chunkKey(i));
            }
            return null;
        });
    }

    public void removeChunks(CachedObject object) {
        guard(() -> {
            for (int i = 0; i < object.chunkCount(); i++) {
                held.remove(object.chunkKey(i));
                chunks.remove(object.chunkKey(i));
            }
            return null;
        });
    }

    public void forEachObject(BiConsumer<String, CachedObject> visitor) {
        guard(() -> {
            for (Cache.Entry<String, CachedObject> e : objects) {
                visitor.accept(e.getKey(), e.getValue());
            }
            return null;
        });
    }

    /** Flushes and closes the disk tier; only then does it survive a restart. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (broken) {
            LOG.warning(() -> "edge cache in " + folder + " was broken: not closed cleanly, it starts cold");
            return;
        }
        manager.close();
        try {
            Files.writeString(folder.resolve(CLEAN), "the edge cache was closed cleanly\n");
        } catch (IOException e) {
            LOG.warning(() -> "edge cache closed, but its clean-close marker could not be written: " + e);
        }
        LOG.info(() -> "edge cache in " + folder + " closed cleanly");
    }

    private static boolean isEmpty(Path folder) {
        try (var entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return true;
        }
    }

    private <T> T guard(Supplier<T> operation) {
        if (closed || broken) {
            return null;
        }
        try {
            return operation.get();
        } catch (RuntimeException | Error e) {
            failed(e);
            return null;
        }
    }

    private void failed(Throwable e) {
        if (e instanceof InternalError) {
            // Ehcache maps its files: a full disk surfaces as SIGBUS, which the JVM turns into InternalError.
            broken = true;
            LOG.log(
                    Level.SEVERE,
                    "edge cache disk tier failed (disk full?): the store is off, every request goes "
                            + "to the origin until this edge restarts with space on " + folder,
                    e);
        } else if (e instanceof VirtualMachineError fatal) {
            throw fatal;
        } else {
            // A failing tier (Ehcache may throw IOError): serve from the origin rather than fail.
            LOG.log(Level.WARNING, "edge cache store failed; serving from the origin", e);
        }
    }
}
