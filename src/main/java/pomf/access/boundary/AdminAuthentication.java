package pomf.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import pomf.access.control.AccessSettings;
import pomf.access.control.AdminSession;
import pomf.http.control.Bearer;
import pomf.untrusted.control.UntrustedText;

/**
 * Who is calling, for every request: the holder of the API token ({@code Authorization: Bearer}), an administrator
 * logged in through the login page (a session, renewed on login and limited in age), or nobody — then protected
 * admin pages send the browser to the login page. Login attempts are rate limited per client (an IPv6 client by its
 * prefix) before any password is hashed, by the hashing slots all clients share, and per account by lockout
 * ({@link AdminAccounts}).
 */
@ApplicationScoped
public class AdminAuthentication implements HttpAuthenticationMechanism {
    public static final String ROLE = "admin";
    public static final String TOKEN_CALLER = "api-token";
    public static final String LOGIN_PAGE = "/admin/login.xhtml";
    /** Request attribute telling the login page why a login failed. */
    public static final String FAILURE = "pomf.access.failure";
    /**
     * The one answer to a failed login, whatever failed (the name, the password, or a lock earned by failures from
     * this address): no answer tells which names are accounts.
     */
    public static final String FAILED =
            "Wrong user name or password, or too many failed logins from your address: try again in a while.";

    private static final Logger LOG = Logger.getLogger(AdminAuthentication.class.getName());
    // Long enough for a short burst of real logins to be served one after another, short enough that a flood's
    // attempts are answered at once rather than piling up in request threads.
    private static final Duration HASHING_WAIT = Duration.ofSeconds(1);

    @Inject
    AccessSettings settings;

    @Inject
    AdminAccounts accounts;

    @Inject
    AuditLog audit;

    @Override
    public AuthenticationStatus validateRequest(
            HttpServletRequest request, HttpServletResponse response, HttpMessageContext context)
            throws AuthenticationException {
        if (context.isAuthenticationRequest()
                && context.getAuthParameters().getCredential() instanceof UsernamePasswordCredential login) {
            return login(request, login, context);
        }
        Optional<String> bearer = bearer(request);
        if (bearer.isPresent()) {
            if (settings.apiToken().isPresent()
                    && Bearer.same(bearer.get(), settings.apiToken().get())) {
                request.setAttribute(AdminSession.VIA, AdminSession.VIA_TOKEN);
                return context.notifyContainerAboutLogin(TOKEN_CALLER, Set.of(ROLE));
            }
            return context.doNothing();
        }
        HttpSession session = request.getSession(false);
        Optional<AdminSession.Login> admin = AdminSession.caller(session, settings.sessionMaxAge());
        if (admin.isPresent()) {
            if (accounts.stillValid(admin.get())) {
                request.setAttribute(AdminSession.VIA, AdminSession.VIA_SESSION);
                return context.notifyContainerAboutLogin(admin.get().username(), Set.of(ROLE));
            }
            // Removed, or its password changed since this session's login (perhaps because it was stolen).
            LOG.info(() -> "session of " + UntrustedText.neutral(admin.get().username())
                    + " ended: the account was removed or its password changed");
            invalidate(session);
        }
        if (context.isProtected()) {
            try {
                sendToLogin(request, response);
            } catch (IOException e) {
                throw new AuthenticationException("sending to the login page", e);
            }
            return AuthenticationStatus.SEND_CONTINUE;
        }
        return context.doNothing();
    }

    private AuthenticationStatus login(
            HttpServletRequest request, UsernamePasswordCredential login, HttpMessageContext context) {
        String address = settings.clientAddress().of(request);
        String client = settings.clientAddress().limitKey(address);
        long wait = settings.loginRate().acquire(client, System.nanoTime());
        if (wait > 0) {
            LOG.warning(() -> "login attempts from " + address + " rate limited (" + wait + " s)");
            request.setAttribute(FAILURE, "Too many login attempts from your address: try again in " + wait + " s.");
            return AuthenticationStatus.SEND_FAILURE;
        }
        if (settings.loginFailures().locked(client, login.getCaller(), System.nanoTime())) {
            LOG.warning(() -> "login as " + UntrustedText.neutral(login.getCaller()) + " from " + address
                    + " refused: locked out after failed logins");
            audit.record("-", address, "login.failed", login.getCaller(), "locked out (this address)");
            request.setAttribute(FAILURE, FAILED);
            return AuthenticationStatus.SEND_FAILURE;
        }
        // The slot is taken before the account's transaction starts: a refused login costs no database work.
        Optional<AdminAccounts.Check> checked = settings.hashing()
                .within(HASHING_WAIT, () -> accounts.verify(login.getCaller(), login.getPasswordAsString(), address));
        if (checked.isEmpty()) {
            LOG.warning(() -> "login from " + address + " refused: "
                    + settings.hashing().size() + " password checks are running already");
            request.setAttribute(FAILURE, "Too many login attempts at the moment: try again in a few seconds.");
            return AuthenticationStatus.SEND_FAILURE;
        }
        AdminAccounts.Check check = checked.get();
        // Whatever was typed in the form: it must not make lines of its own in the log.
        String name = UntrustedText.neutral(login.getCaller());
        switch (check.outcome()) {
            case VALID -> {
                settings.loginFailures().succeeded(client, login.getCaller());
                HttpSession old = request.getSession(false);
                if (old != null) {
                    old.invalidate(); // a fresh session id: nothing planted before the login survives it
                }
                HttpSession session = request.getSession(true);
                AdminSession.start(session, check.credentials(), settings.sessionSeconds());
                request.setAttribute(AdminSession.VIA, AdminSession.VIA_SESSION);
                LOG.info(() -> "administrator " + name + " logged in from " + address);
                return context.notifyContainerAboutLogin(login.getCaller(), Set.of(ROLE));
            }
            case INVALID -> {
                boolean locks = settings.loginFailures().failed(client, login.getCaller(), System.nanoTime());
                LOG.info(() -> "failed login as " + name + " from " + address + (locks ? " (now locked out)" : ""));
                request.setAttribute(FAILURE, FAILED);
            }
        }
        return AuthenticationStatus.SEND_FAILURE;
    }

    private static void invalidate(HttpSession session) {
        try {
            session.invalidate();
        } catch (IllegalStateException alreadyInvalidated) {
            // ended meanwhile by another request of the same session
        }
    }

    /** A redirect, or for a Faces Ajax request (whose answer must be XML) a partial-response redirect. */
    private static void sendToLogin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String target = request.getContextPath() + LOGIN_PAGE;
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if ("GET".equals(request.getMethod()) && path.startsWith("/admin/")) {
            target += "?next=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
        }
        if ("partial/ajax".equals(request.getHeader("Faces-Request"))) {
            response.setContentType("text/xml;charset=UTF-8");
            response.getWriter()
                    .write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><partial-response><redirect url=\""
                            + target.replace("&", "&amp;").replace("\"", "&quot;") + "\"/></partial-response>");
            return;
        }
        response.sendRedirect(target);
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        return Optional.ofNullable(Bearer.token(request.getHeader("Authorization")));
    }
}
