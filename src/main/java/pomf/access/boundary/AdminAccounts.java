package pomf.access.boundary;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import pomf.access.control.AccessSettings;
import pomf.access.control.AccessSql;
import pomf.access.control.AdminSession;
import pomf.access.control.Credentials;
import pomf.access.entity.AdminAccount;
import pomf.problem.entity.ProblemException;

/**
 * Administrator accounts in PostgreSQL: password checks with lockout, creation, password changes. Every password
 * hash runs in one of {@link AccessSettings#hashing()}'s slots: a login's check in the slot its caller holds
 * ({@link AdminAuthentication}), creation and password changes in one taken here.
 */
@Stateless
public class AdminAccounts {
    // Only administrators create accounts or change passwords: they may wait out a login flood's queue, not forever.
    private static final Duration HASHING_WAIT = Duration.ofSeconds(10);

    // Checked against when the name is unknown, so an unknown name costs the same time as a wrong password.
    private static final String DECOY = "PBKDF2WithHmacSHA256:600000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:"
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    public enum Outcome {
        VALID,
        INVALID
    }

    /** A login's outcome; for a valid one, the credentials its session is bound to. */
    public record Check(Outcome outcome, AdminSession.Login credentials) {
        static final Check INVALID = new Check(Outcome.INVALID, null);
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    AccessSettings settings;

    @Inject
    AuditLog audit;

    @Inject
    AccessSql sql;

    /**
     * Checks a login from {@code address}; every outcome is written to the audit trail in the same transaction.
     * Hashes without taking a slot: the caller holds one.
     */
    public Check verify(String username, String password, String address) {
        Check check = verify(username, password);
        String name = username == null ? "" : username;
        switch (check.outcome()) {
            case VALID -> audit.record(name, address, "login", name, "");
            case INVALID -> audit.record("-", address, "login.failed", name, "wrong user name or password");
        }
        return check;
    }

    private Check verify(String username, String password) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Optional<AdminAccount> found = byName(username, true);
        if (found.isEmpty() || password == null) {
            settings.hashes().matches(password == null ? "" : password, DECOY);
            return Check.INVALID;
        }
        AdminAccount account = found.get();
        if (!settings.hashes().matches(password, account.getPasswordHash())) {
            account.failed();
            return Check.INVALID;
        }
        if (settings.hashes().outdated(account.getPasswordHash())) {
            account.rehashed(settings.hashes().hash(password));
        }
        account.succeeded(now);
        return new Check(Outcome.VALID, credentialsOf(account));
    }

    /** Creates the first account when there is none; false when another instance or an earlier start did. */
    public boolean createFirst(String username, String password) {
        sql.lockFirstAdmin();
        if (em.createNamedQuery(AdminAccount.COUNT, Long.class).getSingleResult() > 0) {
            return false;
        }
        create(username, password);
        return true;
    }

    public AdminAccount create(String username, String password) {
        require(Credentials.usernameProblem(username));
        require(Credentials.passwordProblem(password));
        if (byName(username, false).isPresent()) {
            throw ProblemException.conflict("There is already an administrator named " + username + ".");
        }
        AdminAccount account =
                new AdminAccount(username, hashing(() -> settings.hashes().hash(password)));
        em.persist(account);
        return account;
    }

    /**
     * Whether a session opened with {@code credentials} may still act: its account is there, and its password has
     * not changed since. One indexed read per request of a logged-in administrator.
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public boolean stillValid(AdminSession.Login credentials) {
        if (!Credentials.USERNAME.matcher(credentials.username()).matches()) {
            return false;
        }
        List<Object[]> rows = em.createQuery(
                        "select a.id, a.credentialsVersion from AdminAccount a where a.username = :username",
                        Object[].class)
                .setParameter("username", credentials.username())
                .getResultList();
        return rows.size() == 1
                && Long.valueOf(credentials.accountId()).equals(rows.get(0)[0])
                && Integer.valueOf(credentials.version()).equals(rows.get(0)[1]);
    }

    /**
     * Changes the password of {@code username}, whose other sessions end at their next request; returns the new
     * credentials, for the session that made the change to go on with.
     */
    public AdminSession.Login changePassword(String username, String current, String replacement) {
        AdminAccount account = byName(username, true).orElseThrow(() -> ProblemException.notFound(username));
        account.passwordChanged(hashing(() -> {
            if (!settings.hashes().matches(current == null ? "" : current, account.getPasswordHash())) {
                throw new ProblemException(403, "Forbidden", "The current password is wrong.");
            }
            require(Credentials.passwordProblem(replacement));
            return settings.hashes().hash(replacement);
        }));
        return credentialsOf(account);
    }

    private static AdminSession.Login credentialsOf(AdminAccount account) {
        // Accounts reach here from the database, with their id; one without (never stored) binds its session to
        // no row, which fails the next request's check rather than passing it.
        long id = account.getId() == null ? -1 : account.getId();
        return new AdminSession.Login(account.getUsername(), id, account.getCredentialsVersion());
    }

    public void remove(String username) {
        AdminAccount account = byName(username, true).orElseThrow(() -> ProblemException.notFound(username));
        if (em.createNamedQuery(AdminAccount.COUNT, Long.class).getSingleResult() <= 1) {
            throw ProblemException.conflict("The last administrator cannot be removed.");
        }
        em.remove(account);
    }

    public List<AdminAccount> all() {
        return em.createNamedQuery(AdminAccount.ALL, AdminAccount.class).getResultList();
    }

    private Optional<AdminAccount> byName(String username, boolean forUpdate) {
        if (username == null || !Credentials.USERNAME.matcher(username).matches()) {
            return Optional.empty();
        }
        var query = em.createNamedQuery(AdminAccount.BY_USERNAME, AdminAccount.class)
                .setParameter("username", username);
        if (forUpdate) {
            query.setLockMode(LockModeType.PESSIMISTIC_WRITE);
        }
        return query.getResultStream().findFirst();
    }

    private String hashing(Supplier<String> work) {
        return settings.hashing()
                .within(HASHING_WAIT, work)
                .orElseThrow(() -> new ProblemException(
                        503, "Service Unavailable", "Too many passwords are being checked: try again in a minute."));
    }

    private static void require(String problem) {
        if (problem != null) {
            throw ProblemException.badRequest(problem);
        }
    }
}
