package pomf.access.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.access.control.Credentials;
import pomf.roles.control.Roles;

/**
 * Makes sure an administrator exists: at the first start of an admin instance, with the name and password from
 * the environment ({@code POMF_ADMIN_USERNAME}, {@code POMF_ADMIN_PASSWORD}), or with a generated password printed
 * to the log this once. Later starts change nothing: accounts are managed from the admin pages.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class FirstAdmin {
    private static final Logger LOG = Logger.getLogger(FirstAdmin.class.getName());

    @Inject
    Roles roles;

    @Inject
    AdminAccounts accounts;

    @Inject
    @ConfigProperty(name = "pomf.admin.username", defaultValue = "admin")
    String username;

    @Inject
    @ConfigProperty(name = "pomf.admin.password")
    Optional<String> password;

    @PostConstruct
    void ensure() {
        if (!roles.admin()) {
            return;
        }
        String problem = Credentials.usernameProblem(username);
        if (problem != null) {
            throw new IllegalStateException("pomf.admin.username: " + problem);
        }
        Optional<String> given = password.filter(p -> !p.isBlank());
        if (given.isPresent() && Credentials.passwordProblem(given.get()) != null) {
            throw new IllegalStateException("pomf.admin.password: " + Credentials.passwordProblem(given.get()));
        }
        String chosen = given.orElseGet(Credentials::generatePassword);
        if (!accounts.createFirst(username, chosen)) {
            return;
        }
        if (given.isPresent()) {
            LOG.info(() -> "First administrator \"" + username + "\" created with the configured password.");
        } else {
            String line = "=".repeat(72);
            LOG.warning(() -> "\n" + line + "\n First administrator created: user \"" + username + "\", password \""
                    + chosen + "\"\n It is shown only this once. Log in at /admin/ and change it.\n" + line);
        }
    }
}
