package pomf.registry.entity;

import jakarta.ejb.ApplicationException;

/** Content on the ban list reached publication; the transaction is rolled back and the upload refused. */
@ApplicationException(rollback = true)
public class BannedContentException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BannedContentException(String sha256) {
        super("content " + sha256 + " is banned");
    }
}
