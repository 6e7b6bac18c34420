package pomf.run;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import pomf.access.control.PasswordHashes;

/**
 * The admin pages' benchmark (src/bench/admin-bench.sh runs it): the report benchmark's database and table, then
 * the real WAR on Payara Micro over the same 1,000,000 files, an administrator logged in through the form, and the
 * files page (full page, Ajax searches, Ajax paging), the dashboard, the nodes page and the JSON search timed as a
 * browser asks for them. Arguments: PostgreSQL's folder, its port, Payara's port,
 * a work folder for Payara.
 */
public final class AdminPageBench {
    static final String USER = "bench";
    static final String FILES = "/admin/files.xhtml";

    private AdminPageBench() {}

    public static void main(String[] args) throws Exception {
        Path basedir = Path.of(System.getProperty("pomf.basedir", ".")).toAbsolutePath();
        int httpPort = Integer.parseInt(args[2]);
        String password = UUID.randomUUID().toString();
        String hashPrefix;
        try (EmbeddedDatabase db = ReportBench.startWithData(Path.of(args[0]), Integer.parseInt(args[1]), basedir)) {
            try (Connection c =
                            DriverManager.getConnection(db.url(), EmbeddedDatabase.USER, EmbeddedDatabase.PASSWORD);
                    Statement s = c.createStatement()) {
                if (!Boolean.getBoolean("pomf.bench.skip-reports")) {
                    ReportBench.reports(c, basedir);
                }
                // A cheap hash: the bench logs in once, and the login rehashes it at the configured strength.
                s.execute("insert into admin_account (username, password_hash) values ('" + USER + "', '"
                        + new PasswordHashes(1000).hash(password) + "')");
                try (ResultSet rs = s.executeQuery("select substr(sha1, 1, 8) from stored_file where id = 424242")) {
                    rs.next();
                    hashPrefix = rs.getString(1);
                }
            }
            try (BenchPayara payara = BenchPayara.start(basedir, Path.of(args[3]), httpPort, db.url())) {
                BenchBrowser browser = new BenchBrowser(payara.base());
                browser.login(USER, password);
                pages(browser, hashPrefix);
            }
        }
    }

    private static void pages(BenchBrowser browser, String hashPrefix) {
        PageTimer timer = new PageTimer();
        timer.time("GET files page (newest first)", () -> browser.get(FILES));
        search(browser, timer, "name contains 'upload-424242.' (1 file)", Map.of("name", "upload-424242."));
        search(browser, timer, "hash prefix '" + hashPrefix + "'", Map.of("hash", hashPrefix));
        search(browser, timer, "address 203.0.113.0/24 (200,000 uploads)", Map.of("address", "203.0.113.0/24"));
        search(browser, timer, "address 203.0.113.7 (800 uploads)", Map.of("address", "203.0.113.7"));
        search(browser, timer, "uploaded 2026-10-01..2026-10-01", Map.of("from", "2026-10-01", "to", "2026-10-01"));
        search(
                browser,
                timer,
                "name 'upload-4242' + 2026-09-01..2026-09-02",
                Map.of("name", "upload-4242", "from", "2026-09-01", "to", "2026-09-02"));
        page(browser, timer, 50);
        page(browser, timer, 500_000);
        timer.time("GET dashboard (24 h of traffic_minute)", () -> browser.get("/admin/dashboard.xhtml"));
        timer.time("GET nodes page", () -> browser.get("/admin/nodes.xhtml"));
        api(browser, timer, "API name=upload-424242.", "name=" + encode("upload-424242."));
        api(browser, timer, "API hash=" + hashPrefix, "hash=" + hashPrefix);
        api(browser, timer, "API address=203.0.113.0/24", "address=" + encode("203.0.113.0/24"));
        api(browser, timer, "API from=to=2026-10-01", "from=2026-10-01&to=2026-10-01");
        api(browser, timer, "API all, page 2", "page=2");
        api(browser, timer, "API all, offset 500,000", "page=10001");
        timer.print();
    }

    /** The Search button: the whole form executed, the form and the messages rendered again. */
    private static void search(BenchBrowser browser, PageTimer timer, String label, Map<String, String> given) {
        browser.get(FILES); // a fresh view, its criteria at "all"
        Map<String, String> form = ajax("filesForm:search", "filesForm", "filesForm messages");
        form.put("filesForm:search", "filesForm:search");
        form.put("filesForm", "filesForm");
        for (String field : new String[] {"name", "stored", "hash", "from", "to", "address"}) {
            form.put("filesForm:" + field, given.getOrDefault(field, ""));
        }
        form.put("filesForm:sort_input", "-created");
        form.put("filesForm:files_selection", "");
        timer.time("Ajax search: " + label, () -> browser.ajax(FILES, form));
    }

    /** A click in the paginator: only the table is executed and rendered. */
    private static void page(BenchBrowser browser, PageTimer timer, int first) {
        browser.get(FILES);
        Map<String, String> form = ajax("filesForm:files", "filesForm:files", "filesForm:files");
        form.put("jakarta.faces.behavior.event", "page");
        form.put("jakarta.faces.partial.event", "page");
        form.put("filesForm:files_pagination", "true");
        form.put("filesForm:files_first", Integer.toString(first));
        form.put("filesForm:files_rows", "50");
        form.put("filesForm:files_skipChildren", "true");
        form.put("filesForm:files_encodeFeature", "true");
        form.put("filesForm", "filesForm");
        form.put("filesForm:files_selection", "");
        timer.time(String.format("Ajax paging: offset %,d", first), () -> browser.ajax(FILES, form));
    }

    private static void api(BenchBrowser browser, PageTimer timer, String label, String query) {
        timer.time(label, () -> browser.get("/api/v1/files?" + query));
    }

    private static Map<String, String> ajax(String source, String execute, String render) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("jakarta.faces.partial.ajax", "true");
        form.put("jakarta.faces.source", source);
        form.put("jakarta.faces.partial.execute", execute);
        form.put("jakarta.faces.partial.render", render);
        return form;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
