package pomf.witness.control;

import java.time.Instant;
import pomf.witness.entity.NodeState;

/**
 * A node as the judge sees it at the end of a tick.
 *
 * @param strikes strikes within the rules' window, this tick's included
 * @param cleanTicks consecutive ticks with every check clean, this tick's included
 */
public record NodeView(
        long id, String name, String record, NodeState state, Instant stateSince, int strikes, int cleanTicks) {}
