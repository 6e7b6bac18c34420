package pomf.reporting.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.Database;
import pomf.it.deployments.EmbeddedDatabaseSession;
import pomf.reporting.control.ReportCatalog;
import pomf.reporting.control.ReportHeader;
import pomf.reporting.control.ReportParameterException;
import pomf.reporting.control.ReportRunner;
import pomf.reporting.control.ReportTimeoutException;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportResult;

/**
 * Every report over known data (src/test/resources/pomf/reporting/reports-it-data.sql, whose comments work the
 * answers out), through the classes the application uses, and through the real psql. A database of its own; no
 * Payara.
 */
class ReportsIT {
    static final String DB = "reports_it";
    static final Path BASEDIR = Path.of(System.getProperty("pomf.basedir", "."));
    static final ReportCatalog CATALOG = ReportCatalog.fromFolder(BASEDIR.resolve("sql/reports"));

    @BeforeAll
    static void createDatabase() throws Exception {
        try (Connection c = Database.connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + DB + " with (force)");
            s.execute("create database " + DB);
        }
        Flyway.configure()
                .dataSource(url(), user(), password())
                .locations("filesystem:" + BASEDIR.resolve("sql/schema"))
                .load()
                .migrate();
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(Files.readString(
                    Path.of(ReportsIT.class.getResource("reports-it-data.sql").toURI()), StandardCharsets.UTF_8));
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection c = Database.connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("drop database if exists " + DB + " with (force)");
        }
    }

    @Test
    void strikesPerNodeHour() {
        assertThat(rows("strikes-per-node-hour", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "2026-01-01T10:00Z|edge-a|2|https: timeout",
                        "2026-01-01T10:00Z|edge-b|1|ssh: refused",
                        "2026-01-01T11:00Z|edge-a|1|ping: timeout");
    }

    @Test
    void killsAndRevivalsWithHowLongTheNodeWasDead() {
        assertThat(rows("node-events", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "2026-01-01T10:05Z|edge-a|kill|4 strikes in 60 min|witness w1|30.0",
                        "2026-01-01T10:35Z|edge-a|revive|revived by hand|admin|null",
                        "2026-01-01T11:00Z|edge-b|kill_refused|max-dead reached|witness w1|null",
                        "2026-01-01T12:00Z|edge-b|kill|4 strikes in 60 min|witness w1|null");
    }

    @Test
    void availabilityLeavesTheWitnessesOwnErrorsOut() {
        assertThat(rows("availability-per-node-day", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "2026-01-01|edge-a|4|3|1|1|75.00",
                        "2026-01-01|edge-b|2|2|0|0|100.00",
                        "2026-01-02|edge-a|1|0|1|0|0.00");
    }

    @Test
    void trafficPerNodeHour() {
        assertThat(rows("traffic-per-node-hour", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "2026-01-01T10:00Z|edge-a|edge|150|10500000|0.023|1.000|140|0|10|0",
                        "2026-01-01T10:00Z|origin-1|origin|20|2100000|0.005|0.280|19|0|0|1",
                        "2026-01-01T11:00Z|edge-a|edge|10|750000|0.002|0.100|10|0|0|0");
    }

    @Test
    void trafficPerNodeDay() {
        assertThat(rows("traffic-per-node-day", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "2026-01-01|edge-a|edge|160|11250000|0.001|150|0|10|0",
                        "2026-01-01|origin-1|origin|20|2100000|0.000|19|0|0|1",
                        "2026-01-02|edge-b|edge|4|400|0.000|4|0|0|0");
    }

    @Test
    void p95DiscardsTheTop14BucketsAndCountsIdleBucketsAsZero() {
        assertThat(rows("bandwidth-p95-per-node-day", "from", "2026-01-03", "to", "2026-01-03"))
                .containsExactly(
                        "2026-01-03|edge-p|0.060|0.200|0.007|20|78750000",
                        "2026-01-03|edge-q|0.100|0.900|0.139|288|1500000000");
    }

    @Test
    void p95GivesEveryNodeARowForEveryDayEvenIdle() {
        assertThat(rows("bandwidth-p95-per-node-day", "from", "2026-01-02", "to", "2026-01-03"))
                .containsExactly(
                        "2026-01-02|edge-b|0.000|0.000|0.000|1|400",
                        "2026-01-02|edge-p|0.000|0.000|0.000|0|0",
                        "2026-01-02|edge-q|0.000|0.000|0.000|0|0",
                        "2026-01-03|edge-b|0.000|0.000|0.000|0|0",
                        "2026-01-03|edge-p|0.060|0.200|0.007|20|78750000",
                        "2026-01-03|edge-q|0.100|0.900|0.139|288|1500000000");
    }

    @Test
    void cacheHitRatioPerEdge() {
        assertThat(rows("cache-hit-ratio-per-edge", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "2026-01-01|edge-a|160|110|30|5|5|0.8000|11250000|2100000|0.8133",
                        "2026-01-02|edge-b|4|0|4|0|0|0.0000|400|400|0.0000");
    }

    @Test
    void topFilesByBytesWithTheFirstUploadsNameAndDeletedFiles() {
        assertThat(rows("top-files-by-bytes", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "1|aaaa.png|cat.png|image/png|1000|3|8|8000",
                        "2|cccc.bin|null|null|null|0|1|4000",
                        "3|bbbb.txt|notes.txt|text/plain|10|1|100|1000");
        assertThat(rows("top-files-by-bytes", "from", "2026-01-01", "to", "2026-01-02", "limit", "2"))
                .hasSize(2);
    }

    @Test
    void uploadsPerDayWithGrowthDedupAndStorage() {
        assertThat(rows("uploads-per-day", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly("2026-01-01|4|2|5010|2|6000|6010", "2026-01-02|3|1|300|2|6000|6310");
        assertThat(rows("uploads-per-day", "from", "2025-12-30", "to", "2026-01-01"))
                .containsExactly(
                        "2025-12-30|0|0|0|0|0|0", "2025-12-31|1|1|1000|0|0|1000", "2026-01-01|4|2|5010|2|6000|6010");
    }

    @Test
    void moderationPerDayWithHandlingTimes() {
        assertThat(rows("moderation-per-day", "from", "2025-12-31", "to", "2026-01-02"))
                .containsExactly(
                        "2025-12-31|0|0|0|null|null|0|0",
                        "2026-01-01|3|1|2|2.00|3.00|1|1",
                        "2026-01-02|0|0|1|24.50|24.50|0|1");
    }

    @Test
    void refusedUploadsPerDayByRangeListAndBan() {
        assertThat(rows("refused-uploads-per-day", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "2026-01-01|block|203.0.113.0/24|12",
                        "2026-01-01|hash_list|ncmec|3",
                        "2026-01-02|ban|banned hashes|1");
    }

    @Test
    void dnsChangesWithTimeToConfirm() {
        assertThat(rows("dns-changes", "from", "2026-01-01", "to", "2026-01-02"))
                .containsExactly(
                        "2026-01-01T10:05Z|files.example.test|192.0.2.1|remove|confirmed|edge-a killed|1|42.5|",
                        "2026-01-01T10:35Z|files.example.test|192.0.2.1|add|pending|edge-a revived|3|null|timeout");
    }

    @Test
    void defaultsAreEvaluatedByTheDatabase() throws SQLException {
        ReportResult result = run("strikes-per-node-hour", Map.of());
        OffsetDateTime from = (OffsetDateTime) result.params().get("from");
        OffsetDateTime to = (OffsetDateTime) result.params().get("to");
        assertThat(Duration.between(from, to)).isEqualTo(Duration.ofDays(2));
        assertThat(Duration.between(to, OffsetDateTime.now()).abs()).isLessThan(Duration.ofMinutes(1));
        assertThat(run("top-files-by-bytes", Map.of()).params().get("limit")).isEqualTo(20);
    }

    @Test
    void badParametersAreRefusedNamingThem() {
        assertThatThrownBy(() -> run("strikes-per-node-hour", Map.of("from", "last tuesday")))
                .isInstanceOf(ReportParameterException.class)
                .hasMessageContaining("parameter from (timestamptz)")
                .extracting(e -> ((ReportParameterException) e).parameter())
                .isEqualTo("from");
        assertThatThrownBy(() -> run("strikes-per-node-hour", Map.of("node", "x")))
                .isInstanceOf(ReportParameterException.class)
                .hasMessageContaining("has no parameter node");
        assertThatThrownBy(() -> run("top-files-by-bytes", Map.of("limit", "-1")))
                .isInstanceOf(ReportParameterException.class)
                .hasMessageContaining("LIMIT");
    }

    @Test
    void aRequiredParameterMustBeGiven() {
        Report report = ReportHeader.parse("echo", "-- title: Echo\n-- Why.\n-- param: word text\nselect :'word' as w");
        assertThatThrownBy(() -> runner().run(connect(), report, Map.of()))
                .isInstanceOf(ReportParameterException.class)
                .hasMessageContaining("word (text) is required");
    }

    @Test
    void textIsBoundNeverPasted() throws SQLException {
        Report report = ReportHeader.parse("echo", "-- title: Echo\n-- Why.\n-- param: word text\nselect :'word' as w");
        String junk = "x'; drop table upload; --";
        try (Connection c = connect()) {
            assertThat(runner().run(c, report, Map.of("word", junk)).rows()).containsExactly(List.of(junk));
        }
        assertThat(rows("uploads-per-day", "from", "2026-01-01", "to", "2026-01-01"))
                .hasSize(1);
    }

    @Test
    void aReportCannotWrite() throws SQLException {
        Report report = ReportHeader.parse(
                "sneaky",
                "-- title: S\n-- Why.\n-- param: n integer = 1\nwith d as (delete from upload returning id) select count(*) + :'n' from d");
        try (Connection c = connect()) {
            assertThatThrownBy(() -> runner().run(c, report, Map.of())).hasMessageContaining("read-only");
        }
        assertThat(rows("uploads-per-day", "from", "2026-01-01", "to", "2026-01-01"))
                .containsExactly("2026-01-01|4|2|5010|2|6000|6010");
    }

    @Test
    void aSlowReportIsCancelledByTheTimeout() throws SQLException {
        Report report =
                ReportHeader.parse("slow", "-- title: S\n-- Why.\n-- param: s integer = 3\nselect pg_sleep(:'s')");
        try (Connection c = connect()) {
            assertThatThrownBy(() -> new ReportRunner(1, 100).run(c, report, Map.of()))
                    .isInstanceOf(ReportTimeoutException.class)
                    .hasMessageContaining("longer than 1 s");
            // the connection is usable again: the failed transaction was rolled back
            assertThat(new ReportRunner(5, 100).run(c, report, Map.of("s", "0")).rows())
                    .hasSize(1);
        }
    }

    @Test
    void rowsBeyondTheCapAreCutAndSaidSo() throws SQLException {
        Report report = ReportHeader.parse(
                "many", "-- title: M\n-- Why.\n-- param: n integer\nselect generate_series(1, :'n') as i");
        try (Connection c = connect()) {
            ReportResult cut = new ReportRunner(5, 3).run(c, report, Map.of("n", "4"));
            assertThat(cut.rows()).hasSize(3);
            assertThat(cut.truncated()).isTrue();
            ReportResult whole = new ReportRunner(5, 3).run(c, report, Map.of("n", "3"));
            assertThat(whole.truncated()).isFalse();
        }
    }

    @Test
    void everyReportRunsWithPsqlToTheSameRowCount() throws Exception {
        Path psql = Path.of("/usr/bin/psql");
        if (!Files.isExecutable(psql)) {
            System.out.println("ReportsIT: /usr/bin/psql is missing; the psql runs are skipped");
            return;
        }
        for (Report report : CATALOG.all().values()) {
            ReportResult result = run(report.name(), Map.of("from", "2025-12-30", "to", "2026-01-03"));
            List<String> command = new ArrayList<>(List.of(
                    psql.toString(),
                    "-X",
                    "-q",
                    "-A",
                    "-t",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-h",
                    host(),
                    "-p",
                    port(),
                    "-U",
                    user(),
                    "-d",
                    DB));
            result.params().forEach((name, value) -> command.addAll(List.of("-v", name + "=" + value)));
            command.addAll(List.of(
                    "-f",
                    BASEDIR.resolve("sql/reports/" + report.name() + ".sql").toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("PGPASSWORD", password());
            builder.environment().put("PGTZ", "UTC");
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(report.name() + ": " + output).isZero();
            assertThat(output.lines().filter(l -> !l.isEmpty()).count())
                    .as(report.name() + " by psql: " + output)
                    .isEqualTo(result.rows().size())
                    .isPositive();
        }
    }

    private static List<String> rows(String name, String... params) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            given.put(params[i], params[i + 1]);
        }
        try {
            return run(name, given).rows().stream()
                    .map(row -> row.stream().map(v -> Objects.toString(v)).collect(Collectors.joining("|")))
                    .toList();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ReportResult run(String name, Map<String, String> params) throws SQLException {
        try (Connection c = connect()) {
            return runner().run(c, CATALOG.find(name).orElseThrow(), params);
        }
    }

    private static ReportRunner runner() {
        return new ReportRunner(60, 10000);
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    private static String url() {
        String url = System.getProperty(EmbeddedDatabaseSession.URL_PROPERTY);
        return url.substring(0, url.lastIndexOf('/') + 1) + DB;
    }

    private static String host() {
        return url().replaceFirst("^jdbc:postgresql://([^:/]+).*$", "$1");
    }

    private static String port() {
        return url().replaceFirst("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1");
    }

    private static String user() {
        return System.getProperty("pomf.it.db.user");
    }

    private static String password() {
        return System.getProperty("pomf.it.db.password");
    }
}
