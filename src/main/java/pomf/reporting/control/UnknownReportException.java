package pomf.reporting.control;

/** A report name with no file behind it. */
public class UnknownReportException extends RuntimeException {
    public UnknownReportException(String name) {
        super("there is no report named " + name);
    }
}
