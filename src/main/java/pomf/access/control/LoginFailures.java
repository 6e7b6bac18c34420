package pomf.access.control;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Consecutive failed logins per client and name, and the lock they earn ({@link Lockout}). Keyed by both, so that a
 * guesser locks only itself out of an account: one wrong guess every few minutes from elsewhere cannot keep the
 * owner out, as a lock per account could. Names that are no account are counted and locked alike, so a lock tells
 * nobody which names exist. A run of failures is forgotten once a whole longest lock has passed without one.
 *
 * <p>Held in memory, at most {@value #CLIENTS} pairs (the least recently seen go first): a client can only push out
 * the pairs of others by failing that many times, which the per-address login rate makes take days. With several
 * origins each counts its own failures; the per-address rate bounds guessing on each.
 */
public final class LoginFailures {
    static final int CLIENTS = 100_000;
    /** Longer names are no account (64 at most): the key keeps that much of a name, whatever was typed. */
    private static final int NAME_KEPT = 65;

    private final Lockout lockout;
    private final long forgetNanos;
    private final LinkedHashMap<String, Run> runs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Run> eldest) {
            return size() > CLIENTS;
        }
    };

    private record Run(int failures, long lastNanos, long lockedUntilNanos) {}

    public LoginFailures(Lockout lockout, Duration longestLock) {
        this.lockout = lockout;
        this.forgetNanos = Math.max(1, longestLock.toNanos());
    }

    /** Whether {@code client} is locked out of {@code name} now: then no password is checked. */
    public boolean locked(String client, String name, long nowNanos) {
        synchronized (runs) {
            Run run = runs.get(key(client, name));
            return run != null && run.lockedUntilNanos - nowNanos > 0;
        }
    }

    /** One more failure; returns whether it locks. */
    public boolean failed(String client, String name, long nowNanos) {
        synchronized (runs) {
            String key = key(client, name);
            Run last = runs.get(key);
            int failures = last == null || nowNanos - last.lastNanos > forgetNanos ? 1 : last.failures + 1;
            long lock = lockout.after(failures).toNanos();
            runs.put(key, new Run(failures, nowNanos, nowNanos + lock));
            return lock > 0;
        }
    }

    public void succeeded(String client, String name) {
        synchronized (runs) {
            runs.remove(key(client, name));
        }
    }

    int size() {
        synchronized (runs) {
            return runs.size();
        }
    }

    private static String key(String client, String name) {
        String typed = name == null ? "" : name;
        if (typed.length() > NAME_KEPT) {
            typed = typed.substring(0, NAME_KEPT);
        }
        return client + '\n' + typed.toLowerCase(Locale.ROOT);
    }
}
