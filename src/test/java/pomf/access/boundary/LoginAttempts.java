package pomf.access.boundary;

import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import pomf.access.control.AccessSettings;

/**
 * Login form submissions handed to the real {@link AdminAuthentication}, without a container: the request and
 * Jakarta Security's context are stand-ins that answer what the mechanism asks on the login path.
 */
final class LoginAttempts {
    private final AdminAuthentication mechanism = new AdminAuthentication();

    LoginAttempts(AccessSettings settings, AdminAccounts accounts) {
        mechanism.settings = settings;
        mechanism.accounts = accounts;
        mechanism.audit = accounts.audit;
    }

    /** Submits the form from {@code address}; gives what the login page would tell the user. */
    String login(String address, String username) {
        return login(address, null, username);
    }

    /** Submits the form from {@code peer}, which sent {@code X-Forwarded-For: forwardedFor} (unless null). */
    String login(String peer, String forwardedFor, String username) {
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest request = stub(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getRemoteAddr" -> peer;
            case "getHeader" -> "X-Forwarded-For".equalsIgnoreCase((String) args[0]) ? forwardedFor : null;
            case "setAttribute" -> attributes.put((String) args[0], args[1]);
            case "getAttribute" -> attributes.get((String) args[0]);
            default -> throw new UnsupportedOperationException(name);
        });
        AuthenticationParameters parameters = AuthenticationParameters.withParams()
                .newAuthentication(true)
                .credential(new UsernamePasswordCredential(username, new Password("not the password")));
        HttpMessageContext context = stub(HttpMessageContext.class, (name, args) -> switch (name) {
            case "isAuthenticationRequest" -> true;
            case "getAuthParameters" -> parameters;
            default -> throw new UnsupportedOperationException(name);
        });
        try {
            AuthenticationStatus status = mechanism.validateRequest(request, null, context);
            Object failure = attributes.get(AdminAuthentication.FAILURE);
            return failure == null ? status.name() : failure.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    static <T> T stub(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> type.getSimpleName() + " stub";
                };
            }
            return answer.answer(method.getName(), args == null ? new Object[0] : args);
        });
    }
}
