package pomf.problem.entity;

import jakarta.ejb.ApplicationException;

/**
 * A refusal of the JSON API that carries its HTTP status; written as problem+json by the mapper. An application
 * exception: it leaves EJBs as it is (no wrapping, no logged stack trace) and rolls their transaction back.
 */
@ApplicationException(rollback = true)
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
