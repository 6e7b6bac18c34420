package pomf.witness.entity;

import java.util.Locale;

/** Where a node stands: in DNS (live), taken out by the witness or an admin (dead), or out for planned work. */
public enum NodeState {
    LIVE,
    DEAD,
    MAINTENANCE;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static NodeState of(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }
}
