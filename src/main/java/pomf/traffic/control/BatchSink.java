package pomf.traffic.control;

import pomf.traffic.entity.Batch;

/** Where batches go: the database, or the origin's ingest endpoint. */
@FunctionalInterface
public interface BatchSink {

    /**
     * Writes the batch, or finds it was written already.
     *
     * @throws RejectedBatch when its content is refused (retrying cannot help)
     * @throws Exception when the write failed and should be retried
     */
    void write(Batch batch) throws Exception;

    /** The receiver refused the batch itself (400): it is dropped, not retried forever. */
    class RejectedBatch extends Exception {
        private static final long serialVersionUID = 1L;

        public RejectedBatch(String message) {
            super(message);
        }
    }
}
