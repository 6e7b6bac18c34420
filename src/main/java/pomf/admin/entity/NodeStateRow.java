package pomf.admin.entity;

import java.time.OffsetDateTime;

/** A node as the dashboard lists it: where it is, its state, why and since when. */
public record NodeStateRow(String name, String address, String state, String reason, OffsetDateTime since) {}
