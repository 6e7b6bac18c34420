package pomf.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import pomf.access.control.AccessSql;
import pomf.access.entity.Actor;
import pomf.access.entity.AuditRow;
import pomf.untrusted.control.UntrustedText;

/**
 * The audit trail ({@code admin_action}): one row per state-changing administrative action, who, from where. One
 * statement through the data source, so it works from any caller: inside a transaction it joins it, outside one
 * (a page's action, the login mechanism) it commits on its own ({@link AccessSql} runs it). Every field may hold what a client typed (a failed
 * login's name, a ban's reason), so each is stored in its {@link UntrustedText neutral form}.
 */
@ApplicationScoped
public class AuditLog {
    // Room for the longest detail written today (a ban: hash, 1024-character reason, outcome) with a margin.
    private static final int DETAIL_LIMIT = 4096;

    @Inject
    AccessSql sql;

    /** Writes one line of the audit trail, each field in its neutral form. */
    public void record(String actor, String address, String action, String target, String detail) {
        sql.addAction(
                UntrustedText.neutral(actor),
                UntrustedText.neutral(address),
                UntrustedText.neutral(action),
                UntrustedText.neutral(target),
                UntrustedText.neutral(detail, DETAIL_LIMIT));
    }

    /** Writes one line of the audit trail for what {@code actor} did. */
    public void record(Actor actor, String action, String target, String detail) {
        record(actor.name(), actor.address(), action, target, detail);
    }

    /** The newest {@code limit} entries: administrative actions and node changes (kept in node_event) together. */
    public List<AuditRow> recent(int limit) {
        return sql.recentActions(limit);
    }
}
