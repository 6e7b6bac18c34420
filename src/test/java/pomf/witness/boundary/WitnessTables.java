package pomf.witness.boundary;

import pomf.it.deployments.Database;

/**
 * Every witness test class starts from an empty fleet: the test JVM shares one database, and nodes left by another
 * class (their servers stopped) would fail every check of this class's witness.
 */
public final class WitnessTables {
    private WitnessTables() {}

    public static void clear() {
        try {
            Database.execute(
                    "truncate node, check_result, strike, witness_fault, node_event, dns_change, witness_tick");
        } catch (IllegalStateException e) {
            // The schema is created by the first deployment of the JVM: nothing to clear before it.
        }
    }
}
