package pomf.admin.entity;

/** The dashboard's figures: links and bytes stored, today's uploads, the last hour's traffic, nodes per state. */
public record DashboardTotals(
        long files,
        long storedBytes,
        long uploadsToday,
        long requestsLastHour,
        long bytesLastHour,
        double hitRatioLastHour,
        long edgeRequestsLastHour,
        long nodesLive,
        long nodesDead,
        long nodesMaintenance) {}
