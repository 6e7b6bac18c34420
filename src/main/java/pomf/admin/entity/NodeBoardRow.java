package pomf.admin.entity;

import java.time.OffsetDateTime;

/** A node as the nodes page lists it: its settings, state, strikes of the last hour and its last checks. */
public record NodeBoardRow(
        String name,
        String address,
        String checkUrl,
        int sshPort,
        String record,
        String state,
        String reason,
        OffsetDateTime since,
        long strikesLastHour,
        String lastChecks) {}
