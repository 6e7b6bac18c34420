package pomf.reporting.entity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final ReportParam FROM =
            new ReportParam("from", ParamType.TIMESTAMPTZ, Optional.of("now() - interval '2 days'"));
    private static final ReportParam NODE = new ReportParam("node", ParamType.TEXT, Optional.empty());

    private static final Report REPORT = new Report(
            "strikes",
            "Strikes",
            "Strikes per hour",
            List.of(FROM, NODE),
            Optional.of(new ReportChart("line", "hour", List.of("strikes"), Optional.of("node"))),
            "select ? , ?, ?",
            List.of("from", "node", "from"));

    @Test
    void aParameterIsFoundByItsExactName() {
        assertThat(REPORT.param("from")).containsSame(FROM);
        assertThat(REPORT.param("node")).containsSame(NODE);
        assertThat(REPORT.param("From")).isEmpty();
        assertThat(REPORT.param("to")).isEmpty();
    }

    @Test
    void aParameterWithoutADefaultIsRequired() {
        assertThat(FROM.required()).isFalse();
        assertThat(NODE.required()).isTrue();
    }
}
