package pomf.witness.control;

import java.time.Duration;

/**
 * The kill and revival rules; the defaults are the original's.
 *
 * @param strikes strikes within the window that kill a live node (4)
 * @param window how far back strikes count (1 hour)
 * @param maxDead how many nodes may be dead at once; the witness kills no more (3)
 * @param reviveAfterCleanTicks consecutive clean ticks that revive a dead node automatically; 0 = manual only
 * @param reviveMinDead how long a node stays dead at least before an automatic revival
 */
public record Rules(int strikes, Duration window, int maxDead, int reviveAfterCleanTicks, Duration reviveMinDead) {

    public static Rules original() {
        return new Rules(4, Duration.ofHours(1), 3, 0, Duration.ofMinutes(10));
    }
}
