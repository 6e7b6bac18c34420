package pomf.reporting.control;

/** A report file that cannot be used as written: refused when the reports are loaded, never at run time. */
public class ReportDefinitionException extends RuntimeException {
    public ReportDefinitionException(String message) {
        super(message);
    }
}
