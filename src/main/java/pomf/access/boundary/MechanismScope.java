package pomf.access.boundary;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import java.util.Set;
import java.util.logging.Logger;
import pomf.roles.control.Roles;

/**
 * Leaves the admin's authentication mechanism out of an edge-only instance. Once an application holds an
 * {@code HttpAuthenticationMechanism}, Jakarta Security runs every request through it (Soteria's JASPIC bridge,
 * with a failing JNDI lookup each time): on an edge that was nearly a third of the CPU of a small cached answer,
 * for an instance that has neither admin pages nor an admin API.
 */
public class MechanismScope implements Extension {
    private static final Logger LOG = Logger.getLogger(MechanismScope.class.getName());

    void leaveOutOnEdges(@Observes ProcessAnnotatedType<AdminAuthentication> type) {
        if (Roles.configured().equals(Set.of("edge"))) {
            type.veto();
            LOG.info("edge-only instance: no admin authentication on the request path");
        }
    }
}
