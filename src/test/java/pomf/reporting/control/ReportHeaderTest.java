package pomf.reporting.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pomf.reporting.entity.ParamType;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportChart;
import pomf.reporting.entity.ReportParam;

class ReportHeaderTest {
    private static final String FILE = """
            -- title: Strikes per node per hour
            -- Ticks in which a node failed,
            -- per hour.
            --
            -- Second paragraph.
            -- param: from timestamptz = now() - interval '2 days'
            -- param: to timestamptz
            -- param: top integer = 20
            -- chart: line x=hour y=strikes,kills series=node
            select * from strike where tick >= :'from'::timestamptz and tick < :'to'::timestamptz limit :'top';
            """;

    @Test
    void headerGivesTitleDescriptionParamsAndChart() {
        Report report = ReportHeader.parse("strikes", FILE);
        assertThat(report.title()).isEqualTo("Strikes per node per hour");
        assertThat(report.description()).isEqualTo("Ticks in which a node failed, per hour.\nSecond paragraph.");
        assertThat(report.params())
                .containsExactly(
                        new ReportParam("from", ParamType.TIMESTAMPTZ, Optional.of("now() - interval '2 days'")),
                        new ReportParam("to", ParamType.TIMESTAMPTZ, Optional.empty()),
                        new ReportParam("top", ParamType.INTEGER, Optional.of("20")));
        assertThat(report.chart())
                .contains(new ReportChart("line", "hour", List.of("strikes", "kills"), Optional.of("node")));
        assertThat(report.sql())
                .isEqualTo("select * from strike where tick >= ?::timestamptz and tick < ?::timestamptz limit ?");
        assertThat(report.bindOrder()).containsExactly("from", "to", "top");
    }

    @Test
    void missingTitleOrPurposeIsRefused() {
        assertThatThrownBy(() -> ReportHeader.parse("x", "-- Something.\nselect 1"))
                .hasMessageContaining("title");
        assertThatThrownBy(() -> ReportHeader.parse("x", "-- title: X\nselect 1"))
                .hasMessageContaining("what the report is for");
        assertThatThrownBy(() -> ReportHeader.parse("x", "-- title: X\n-- Why.\n"))
                .hasMessageContaining("no statement");
    }

    @Test
    void undeclaredAndUnusedParametersAreRefusedAtLoad() {
        assertThatThrownBy(() -> ReportHeader.parse("x", "-- title: X\n-- Why.\nselect :'node'"))
                .isInstanceOf(ReportDefinitionException.class)
                .hasMessageStartingWith("report x: ")
                .hasMessageContaining(":'node'");
        assertThatThrownBy(() -> ReportHeader.parse("x", "-- title: X\n-- Why.\n-- param: node text\nselect 1"))
                .hasMessageContaining("never uses");
    }

    @Test
    void malformedParamsAndChartsAreRefused() {
        String head = "-- title: X\n-- Why.\n";
        assertThatThrownBy(() -> ReportHeader.parse("x", head + "-- param: n bigint\nselect :'n'"))
                .hasMessageContaining("unknown parameter type bigint");
        assertThatThrownBy(() -> ReportHeader.parse("x", head + "-- param: N text\nselect :'N'"))
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> ReportHeader.parse("x", head + "-- param: n text\n-- param: n text\nselect :'n'"))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> ReportHeader.parse("x", head + "-- param: n text = :'m'\nselect :'n'"))
                .hasMessageContaining("declares no");
        assertThatThrownBy(() -> ReportHeader.parse("x", head + "-- param: n text = 1; drop table t\nselect :'n'"))
                .isInstanceOf(ReportDefinitionException.class);
        assertThatThrownBy(() -> ReportHeader.parse("x", head + "-- chart: pie x=a y=b\nselect 1"))
                .hasMessageContaining("pie");
        assertThatThrownBy(() -> ReportHeader.parse("x", head + "-- chart: line x=a\nselect 1"))
                .hasMessageContaining("x= and y=");
    }

    @Test
    void reportNamesAreLowerCaseWithDashes() {
        assertThatThrownBy(() -> ReportHeader.parse("../etc", "-- title: X\n-- Why.\nselect 1"))
                .hasMessageContaining("report name");
    }
}
