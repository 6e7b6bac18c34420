package pomf.upload.control;

/** The request body is not the multipart/form-data it claims to be; the client gets a 400 with the reason. */
public class MalformedMultipartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedMultipartException(String message) {
        super(message);
    }
}
