package pomf.access.control;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A cap on password hashes computed at once. One PBKDF2 keeps a core busy for about 0.3 s, so logins from many
 * addresses, each within its own rate limit, could otherwise take every core; more hashes at once than cores only
 * make each slower. Past the cap a caller waits a bounded time, then is turned away instead of queued.
 */
public final class HashingSlots {
    private final int size;
    // Fair: a caller that waits longer (a password change) is not overtaken by every login that arrives meanwhile.
    private final Semaphore slots;

    public HashingSlots(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one password hash must be allowed at a time, not " + size);
        }
        this.size = size;
        this.slots = new Semaphore(size, true);
    }

    /** Runs {@code work} in a slot if one frees within {@code wait}; empty when none did. */
    public <T> Optional<T> within(Duration wait, Supplier<T> work) {
        try {
            if (!slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return Optional.of(work.get());
        } finally {
            slots.release();
        }
    }

    public int size() {
        return size;
    }
}
