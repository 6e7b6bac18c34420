package pomf.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import pomf.reporting.control.ReportCatalog;
import pomf.reporting.control.ReportRunner;
import pomf.reporting.entity.ParamType;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportParam;
import pomf.reporting.entity.ReportResult;

/**
 * The report benchmark (src/bench/report-bench.sh runs it; AdminPageBench reuses its database and table): a fresh embedded PostgreSQL, the schema, the generated
 * data of report-bench-data.sql, then every report three times through the application's own ReportRunner, its
 * from/to widened to the data's 30 days. Arguments: data folder, port.
 */
public final class ReportBench {
    static final String FROM = "2026-10-01";
    static final String TO_DAY = "2026-10-30";
    static final String TO_INSTANT = "2026-10-31";
    static final int RUNS = 3;

    private ReportBench() {}

    public static void main(String[] args) throws Exception {
        Path basedir = Path.of(System.getProperty("pomf.basedir", "."));
        try (EmbeddedDatabase db = startWithData(Path.of(args[0]), Integer.parseInt(args[1]), basedir);
                Connection c =
                        DriverManager.getConnection(db.url(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD)) {
            reports(c, basedir);
        }
    }

    /**
     * A fresh embedded PostgreSQL on {@code port}, migrated, with the generated data, analyzed; its sizes printed.
     * Stopped by the caller's close, or by a shutdown hook on Ctrl-C.
     */
    static EmbeddedDatabase startWithData(Path folder, int port, Path basedir) throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(folder, false, port, "bench");
        // Ctrl-C skips the try's close: stop PostgreSQL from a hook too (a second close does nothing).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                db.close();
            } catch (Exception e) {
                // already stopped
            }
        }));
        Flyway.configure()
                .dataSource(db.url(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD)
                .locations("filesystem:" + basedir.resolve("sql/schema"))
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(db.url(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
                Statement s = c.createStatement()) {
            long start = System.nanoTime();
            s.execute(Files.readString(basedir.resolve("src/bench/report-bench-data.sql"), StandardCharsets.UTF_8));
            System.out.printf("data generated in %.1f s%n", (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            s.execute("analyze");
            System.out.printf("analyze in %.1f s%n", (System.nanoTime() - start) / 1e9);
            printSizes(s);
        }
        return db;
    }

    /** The reports' table, then the plan of the report named by pomf.bench.explain, if any. */
    static void reports(Connection c, Path basedir) throws Exception {
        ReportCatalog catalog = ReportCatalog.fromFolder(basedir.resolve("sql/reports"));
        bench(c, catalog);
        String explain = System.getProperty("pomf.bench.explain", "");
        if (!explain.isEmpty()) {
            explain(c, catalog.find(explain).orElseThrow());
        }
    }

    private static void bench(Connection c, ReportCatalog catalog) throws Exception {
        ReportRunner runner = new ReportRunner(600, 10000);
        System.out.printf("%n| report | rows | first run ms | median ms |%n|---|---:|---:|---:|%n");
        for (Report report : catalog.all().values()) {
            Map<String, String> params = widened(report);
            List<Double> times = new ArrayList<>();
            ReportResult result = null;
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                result = runner.run(c, report, params);
                times.add((System.nanoTime() - start) / 1e6);
            }
            double first = times.get(0);
            times.sort(Double::compare);
            System.out.printf(
                    "| %s | %d%s | %.0f | %.0f |%n",
                    report.name(),
                    result.rows().size(),
                    result.truncated() ? " (cut)" : "",
                    first,
                    times.get(RUNS / 2));
        }
    }

    /** The plan of one report over the widened period (its other parameters must have been given: none here). */
    private static void explain(Connection c, Report report) throws Exception {
        Map<String, String> params = widened(report);
        try (var statement = c.prepareStatement("explain (analyze, buffers) " + report.sql())) {
            for (int i = 0; i < report.bindOrder().size(); i++) {
                ReportParam p = report.param(report.bindOrder().get(i)).orElseThrow();
                statement.setObject(i + 1, p.type().parse(params.get(p.name())));
            }
            try (var rs = statement.executeQuery()) {
                System.out.println();
                while (rs.next()) {
                    System.out.println(rs.getString(1));
                }
            }
        }
    }

    /** from/to over the data's 30 days; every other parameter keeps its default. */
    static Map<String, String> widened(Report report) {
        Map<String, String> params = new LinkedHashMap<>();
        for (ReportParam p : report.params()) {
            if (p.name().equals("from")) {
                params.put("from", FROM);
            } else if (p.name().equals("to")) {
                params.put("to", p.type() == ParamType.DATE ? TO_DAY : TO_INSTANT);
            }
        }
        return params;
    }

    private static void printSizes(Statement s) throws Exception {
        try (var rs = s.executeQuery("select (select count(*) from stored_file), (select count(*) from upload),"
                + " (select count(*) from traffic_minute), (select count(*) from file_traffic_hour),"
                + " (select count(*) from check_result), (select count(*) from strike), (select count(*) from node_event),"
                + " pg_size_pretty(pg_database_size(current_database()))")) {
            rs.next();
            System.out.printf(
                    "rows: stored_file %d, upload %d, traffic_minute %d, file_traffic_hour %d, check_result %d,"
                            + " strike %d, node_event %d; database %s%n",
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getLong(5),
                    rs.getLong(6),
                    rs.getLong(7),
                    rs.getString(8));
        }
    }
}
