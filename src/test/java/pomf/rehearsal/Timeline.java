package pomf.rehearsal;

import java.time.Instant;

/** When the faults happened, for the checks that compare records with them (times in the database are UTC instants). */
final class Timeline {
    final Instant started = Instant.now();
    Instant edgeKilled;
    double secondsToRemoval = -1;
    Instant originStopped;
    Instant originBack;
    Instant databaseStopped;
    Instant databaseBack;
    double secondsToFirstUpload = -1;
    Instant witnessKilled;
    Instant edgeRestarted;
    double secondsToRevival = -1;
    Instant loadEnded;

    void loadEnded() {
        loadEnded = Instant.now();
    }
}
