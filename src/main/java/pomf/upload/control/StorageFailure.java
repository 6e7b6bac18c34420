package pomf.upload.control;

import java.io.IOException;
import pomf.storage.entity.StoreUnavailableException;
import pomf.upload.entity.UploadRejectedException;

/**
 * Storage errors while receiving: 507 when the disk is full, 503 when the bucket cannot be used now, 500 otherwise;
 * never the client's fault.
 */
final class StorageFailure {
    private StorageFailure() {}

    static UploadRejectedException of(IOException e) {
        if (e instanceof StoreUnavailableException) {
            return new UploadRejectedException(503, "The file store is unavailable; try again shortly.", 5, e);
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left") || message.contains("Disk quota")) {
            return new UploadRejectedException(507, "The server is out of storage space.", 0, e);
        }
        return new UploadRejectedException(500, "The server could not store the file.", 0, e);
    }
}
