package pomf.reporting.control;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.temporal.Temporal;
import java.util.List;
import pomf.csv.control.Csv;
import pomf.reporting.entity.ReportColumn;
import pomf.reporting.entity.ReportResult;

/**
 * A report result as CSV (RFC 4180: quoted where needed, quotes doubled, CRLF line ends; the caller writes UTF-8).
 * Text cells go through {@link Csv} (no formula); numbers are never touched, so a negative number stays a number.
 */
public final class CsvWriter {
    private static final String CRLF = "\r\n";

    private CsvWriter() {}

    public static void write(ReportResult result, Writer out) throws IOException {
        List<ReportColumn> columns = result.columns();
        for (int i = 0; i < columns.size(); i++) {
            out.write((i == 0 ? "" : ",") + Csv.cell(columns.get(i).name()));
        }
        out.write(CRLF);
        for (List<Object> row : result.rows()) {
            for (int i = 0; i < row.size(); i++) {
                out.write((i == 0 ? "" : ",") + cell(row.get(i)));
            }
            out.write(CRLF);
        }
        out.flush();
    }

    /** One cell: empty for null, numbers plain (no exponent), dates ISO, text guarded and quoted. */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof Temporal) {
            return value.toString();
        }
        return Csv.cell(value.toString());
    }
}
