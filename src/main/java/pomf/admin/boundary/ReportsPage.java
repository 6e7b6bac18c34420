package pomf.admin.boundary;

import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import pomf.admin.control.ReportChartJs;
import pomf.reporting.boundary.Reports;
import pomf.reporting.control.ReportParameterException;
import pomf.reporting.control.ReportTimeoutException;
import pomf.reporting.control.UnknownReportException;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportResult;

/**
 * Reports: pick one of {@code sql/reports}, fill in its parameters (blank means the report's default), see the rows
 * as a table and a chart, and download the same as CSV.
 */
@Named
@ViewScoped
public class ReportsPage implements Serializable {
    private static final long serialVersionUID = 1L;

    @Inject
    transient Reports reports;

    private String name;
    private final Map<String, String> values = new LinkedHashMap<>();
    private transient ReportResult result;
    private String chart;

    public void load() {
        if (name == null || reports.find(name).isEmpty()) {
            name = reports.list().isEmpty() ? null : reports.list().get(0).name();
        }
    }

    public void choose() {
        values.clear();
        result = null;
        chart = null;
    }

    public void run() {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            result = reports.run(name, given());
            chart = ReportChartJs.of(result);
            if (result.truncated()) {
                faces.addMessage(
                        null,
                        new FacesMessage(
                                FacesMessage.SEVERITY_WARN,
                                "Only the first rows are shown",
                                "The report has more rows than pomf.reports.max-rows."));
            }
        } catch (ReportParameterException | UnknownReportException | ReportTimeoutException e) {
            result = null;
            chart = null;
            faces.addMessage(
                    null, new FacesMessage(FacesMessage.SEVERITY_ERROR, "The report did not run", e.getMessage()));
            faces.validationFailed();
        }
    }

    private Map<String, String> given() {
        return values.entrySet().stream()
                .filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .collect(
                        Collectors.toMap(Map.Entry::getKey, e -> e.getValue().trim(), (a, b) -> a, LinkedHashMap::new));
    }

    /** The CSV of the same report with the same parameters, through the JSON API (the session is enough for a GET). */
    public String getCsvUrl() {
        if (name == null) {
            return "";
        }
        String query = given().entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return "/api/v1/reports/" + name + ".csv" + (query.isEmpty() ? "" : "?" + query);
    }

    public List<Report> getReports() {
        return reports.list();
    }

    public Report getReport() {
        return name == null ? null : reports.find(name).orElse(null);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Map<String, String> getValues() {
        return values;
    }

    public ReportResult getResult() {
        return result;
    }

    public String getChart() {
        return chart;
    }
}
