package pomf.witness.boundary;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.problem.entity.ProblemException;
import pomf.witness.control.NodeForm;

/**
 * Nodes from configuration, added at start when absent (an admin's later edits are kept):
 * {@code pomf.witness.nodes=edge1,edge2} with {@code pomf.witness.node.edge1.address}, {@code .check-url}
 * (default {@code https://<address>/health/ready}), {@code .ssh-port} (22) and {@code .record}
 * (default {@code pomf.witness.record}).
 */
@Stateless
public class NodeSeeder {
    private static final Logger LOG = Logger.getLogger(NodeSeeder.class.getName());

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "pomf.witness.nodes")
    Optional<String> names;

    @Inject
    @ConfigProperty(name = "pomf.witness.record")
    Optional<String> record;

    @Inject
    NodeActions actions;

    public void seed() {
        // Under the node lock from the start: a witness starting at the same moment waits until this one has
        // committed, and then finds every node present.
        actions.hold();
        for (String name : names.orElse("").split(",")) {
            if (name.isBlank() || actions.exists(name.trim())) {
                continue;
            }
            String prefix = "pomf.witness.node." + name.trim() + ".";
            String address = config.getValue(prefix + "address", String.class);
            NodeForm form = new NodeForm(
                    name.trim(),
                    address,
                    config.getOptionalValue(prefix + "check-url", String.class)
                            .orElse("https://" + address + "/health/ready"),
                    config.getOptionalValue(prefix + "ssh-port", Integer.class).orElse(22),
                    config.getOptionalValue(prefix + "record", String.class)
                            .or(() -> record)
                            .orElseThrow(() ->
                                    new IllegalStateException(prefix + "record or pomf.witness.record is needed")));
            try {
                actions.add(form, "configuration");
                LOG.info(() -> "node " + form.name() + " added from configuration");
            } catch (ProblemException e) {
                throw new IllegalStateException("node " + name + " in configuration: " + e.getMessage(), e);
            }
        }
    }
}
