package pomf.storage.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks by content hash. Whoever places, references or removes a blob holds its hash's lock from before
 * it reads the registry until after it commits, so a blob and its row never disagree within this JVM (across
 * origins the database's unique constraint decides).
 */
@ApplicationScoped
public class HashLocks {
    private static final int STRIPES = 1024;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public HashLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Locks every given hash, in one global order so two callers never deadlock. */
    public Held lock(Collection<String> hashes) {
        List<ReentrantLock> held = hashes.stream()
                .mapToInt(h -> Math.floorMod(h.hashCode(), STRIPES))
                .distinct()
                .sorted()
                .mapToObj(i -> stripes[i])
                .toList();
        held.forEach(ReentrantLock::lock);
        return () -> {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        };
    }

    public Held lock(String hash) {
        return lock(List.of(hash));
    }

    /** Released by try-with-resources. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
