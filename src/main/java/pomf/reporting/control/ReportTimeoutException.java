package pomf.reporting.control;

/** A report that ran longer than {@code pomf.reports.timeout-seconds} and was cancelled by PostgreSQL. */
public class ReportTimeoutException extends RuntimeException {
    public ReportTimeoutException(String message) {
        super(message);
    }
}
