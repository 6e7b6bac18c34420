package pomf.edge.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * What the origin served and when: every version of every object (old ones too, since an edge may rightly serve a
 * stale copy) and when each object was present. Changes to the origin happen inside {@link #change}, under a write
 * lock that checks wait for, so an answer can never name a version the ledger does not know yet.
 */
final class OriginLedger {
    /** Presence of one path over time: the instants (nanoTime) at which it appeared or disappeared. */
    private static final class History {
        final List<Version> versions = new ArrayList<>();
        final List<long[]> presence = new ArrayList<>(); // {nanos, 1 present | 0 absent}
        boolean present;
    }

    private final Map<String, History> paths = new ConcurrentHashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Runs a change of the origin (upload, removal) and its recording as one step that checks cannot interleave. */
    <T> T change(Supplier<T> step) {
        lock.writeLock().lock();
        try {
            return step.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Records a version the origin serves from its {@code bornNanos} on (taken after the origin has it); call inside
     * {@link #change}.
     */
    void served(Version version) {
        History history = paths.computeIfAbsent(version.path(), p -> new History());
        synchronized (history) {
            history.versions.add(version);
            if (!history.present) {
                history.present = true;
                history.presence.add(new long[] {version.bornNanos(), 1});
            }
        }
    }

    /** Records that the path is gone; call before the origin removes it, inside {@link #change}. */
    void removed(String path) {
        History history = paths.get(path);
        synchronized (history) {
            history.present = false;
            history.presence.add(new long[] {System.nanoTime(), 0});
        }
    }

    Optional<Version> version(String path, String etag) {
        return read(() -> {
            History history = paths.get(path);
            if (history == null || etag == null) {
                return Optional.empty();
            }
            synchronized (history) {
                return history.versions.stream()
                        .filter(v -> v.etag().equals(etag))
                        .findFirst();
            }
        });
    }

    List<Version> versions(String path) {
        return read(() -> {
            History history = paths.get(path);
            if (history == null) {
                return List.of();
            }
            synchronized (history) {
                return List.copyOf(history.versions);
            }
        });
    }

    /** The version served now, or null while the path is absent. */
    Version current(String path) {
        return read(() -> {
            History history = paths.get(path);
            if (history == null) {
                return null;
            }
            synchronized (history) {
                return history.present ? history.versions.get(history.versions.size() - 1) : null;
            }
        });
    }

    /** Whether the path was present at the origin during the whole of {@code from .. to} (nanoTime). */
    boolean presentThroughout(String path, long from, long to) {
        return read(() -> {
            History history = paths.get(path);
            if (history == null) {
                return false;
            }
            synchronized (history) {
                boolean present = false;
                for (long[] change : history.presence) {
                    if (change[0] - from <= 0) {
                        present = change[1] == 1;
                    } else if (change[0] - to <= 0 && change[1] == 0) {
                        return false;
                    }
                }
                return present;
            }
        });
    }

    private <T> T read(Supplier<T> query) {
        lock.readLock().lock();
        try {
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }
}
