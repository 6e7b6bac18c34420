package pomf.admin.entity;

import java.time.OffsetDateTime;

/** A DNS change not yet done with (pending or applied), as the nodes page lists it. */
public record DnsChange(
        long id,
        String record,
        String address,
        String action,
        String state,
        int attempts,
        String lastError,
        OffsetDateTime createdAt) {}
