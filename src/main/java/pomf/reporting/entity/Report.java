package pomf.reporting.entity;

import java.util.List;
import java.util.Optional;

/**
 * A report as loaded from {@code sql/reports/<name>.sql}: its header, and its body as a JDBC statement whose
 * {@code ?} are the parameters named in {@code bindOrder} (a parameter used twice appears twice).
 */
public record Report(
        String name,
        String title,
        String description,
        List<ReportParam> params,
        Optional<ReportChart> chart,
        String sql,
        List<String> bindOrder) {

    public Optional<ReportParam> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
