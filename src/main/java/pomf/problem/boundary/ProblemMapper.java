package pomf.problem.boundary;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;
import pomf.problem.entity.ProblemException;

/**
 * Every failure of a JAX-RS resource becomes problem+json with the right status: refusals with their own, JAX-RS's
 * own (404, 405, 415) with theirs, a body that is not JSON 400, anything else 500 without a stack trace.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Exception> {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Exception exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && !(cause instanceof ProblemException)) {
            cause = cause.getCause();
        }
        if (cause instanceof ProblemException problem) {
            return problem(problem.status(), problem.title(), problem.getMessage());
        }
        if (exception instanceof WebApplicationException web) {
            int status = web.getResponse().getStatus();
            return problem(status, web.getResponse().getStatusInfo().getReasonPhrase(), exception.getMessage());
        }
        if (cause instanceof JsonException) {
            return problem(400, "Bad Request", "The body is not the JSON this resource takes.");
        }
        LOG.log(Level.WARNING, "API request failed", exception);
        return problem(500, "Internal Server Error", "The request failed on the server; it is logged.");
    }

    public static Response problem(int status, String title, String detail) {
        var body = Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status);
        if (detail != null && !detail.isBlank()) {
            body.add("detail", detail);
        }
        return Response.status(status)
                .type("application/problem+json")
                .entity(body.build().toString())
                .build();
    }
}
