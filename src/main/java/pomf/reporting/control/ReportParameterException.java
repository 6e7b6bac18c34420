package pomf.reporting.control;

/** A parameter value a report cannot run with; {@code parameter} names it (null when the database refused the set). */
public class ReportParameterException extends RuntimeException {
    private final String parameter;

    public ReportParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
