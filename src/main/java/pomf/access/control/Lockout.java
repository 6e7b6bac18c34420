package pomf.access.control;

import java.time.Duration;

/**
 * How long an account stays locked after consecutive failed logins: free for the first few typing mistakes, then
 * doubling from half a minute up to a ceiling, so guessing a password online takes years while the owner, who
 * knows it, waits seconds at worst.
 */
public final class Lockout {
    private final int free;
    private final Duration first;
    private final Duration ceiling;

    public Lockout(int free, Duration first, Duration ceiling) {
        this.free = free;
        this.first = first;
        this.ceiling = ceiling;
    }

    /** The lock after the {@code failures}-th consecutive failure; zero when none. */
    public Duration after(int failures) {
        if (failures <= free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - free - 1, 30);
        Duration lock = first.multipliedBy(1L << doublings);
        return lock.compareTo(ceiling) > 0 ? ceiling : lock;
    }
}
