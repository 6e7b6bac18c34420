package pomf.caps.control;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many requests each client has in flight, each at most {@code cap}. Runs for every file answer, so it takes no
 * lock of its own: a client's count is an {@link AtomicInteger} raised by compare-and-set, and a start or an end is
 * one map update at most (a client's first request puts its counter, its last one removes it). A counter that fell to
 * zero is dead (never raised again) and leaves the map, so the map holds only clients with a request in flight: it is
 * bounded by the connections the server holds, whatever the number of addresses a client has.
 */
public final class ClientSlots {
    private final int cap;
    private final ConcurrentHashMap<String, AtomicInteger> held = new ConcurrentHashMap<>();

    /** {@code cap} requests per client at once; 0 or less: no cap (nothing is counted). */
    public ClientSlots(int cap) {
        this.cap = cap;
    }

    public boolean capped() {
        return cap > 0;
    }

    public int cap() {
        return cap;
    }

    /** Takes one of the client's slots; false (and nothing taken) when it holds all of them. */
    public boolean take(String client) {
        if (cap <= 0) {
            return true;
        }
        while (true) {
            AtomicInteger count = held.get(client);
            if (count == null) {
                if (held.putIfAbsent(client, new AtomicInteger(1)) == null) {
                    return true;
                }
                continue; // another request of this client came first
            }
            int n = count.get();
            if (n <= 0) {
                held.remove(client, count); // dead, its remover not done yet: help, then start a new one
                continue;
            }
            if (n >= cap) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot that {@link #take} gave; once per slot. */
    public void giveBack(String client) {
        if (cap <= 0) {
            return;
        }
        // The counter cannot have left the map: it was at least 1 (this slot) until now.
        AtomicInteger count = held.get(client);
        if (count != null && count.decrementAndGet() == 0) {
            held.remove(client, count);
        }
    }

    /** The requests {@code client} has in flight. */
    public int held(String client) {
        AtomicInteger count = held.get(client);
        return count == null ? 0 : Math.max(0, count.get());
    }

    /** Clients with a request in flight. */
    public int clients() {
        return held.size();
    }
}
