package pomf.storage.entity;

import java.io.IOException;

/**
 * The blob store could not do what was asked now (the bucket answered an error, could not be reached, or is
 * missing): a condition of the service that may pass, answered 503 with a retry, never the client's fault.
 */
public class StoreUnavailableException extends IOException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
