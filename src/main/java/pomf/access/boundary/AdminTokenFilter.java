package pomf.access.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import pomf.problem.boundary.ProblemMapper;

/**
 * Lets an {@link AdminOnly} request through only with {@code Authorization: Bearer <pomf.api.token>}. Without a
 * token configured ({@code POMF_API_TOKEN}), the administrative API is closed rather than open.
 */
@Provider
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {

    @Inject
    @ConfigProperty(name = "pomf.api.token")
    Optional<String> token;

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (token.isEmpty() || token.get().isBlank()) {
            request.abortWith(ProblemMapper.problem(
                    401, "Unauthorized", "The administrative API is closed: no pomf.api.token is configured."));
        } else if (authorization == null || !equal(authorization, "Bearer " + token.get())) {
            request.abortWith(ProblemMapper.problem(401, "Unauthorized", "A valid administrator token is required."));
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
