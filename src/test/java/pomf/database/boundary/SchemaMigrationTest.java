package pomf.database.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import pomf.it.deployments.ConfigInjection;
import pomf.it.deployments.StandIn;
import pomf.roles.control.Roles;

/**
 * What {@link SchemaMigration} hands Flyway, checked without a database: the scripts of {@code sql/schema}, packaged
 * by the build as {@code db/migration} on the class path (the location the class gives Flyway), form a sequence
 * Flyway runs whole. Flyway skips a file whose name is not of its form without a word, so a misnamed script would
 * silently never run; a gap in the versions means a script lost in a merge.
 */
class SchemaMigrationTest {
    /** The location {@link SchemaMigration#migrate} gives Flyway ({@code classpath:db/migration}). */
    private static final String LOCATION = "db/migration";
    /** Flyway's default versioned form: prefix V, a version, the separator "__", a description, suffix .sql. */
    private static final Pattern VERSIONED = Pattern.compile("V([1-9][0-9]*)__([a-z0-9]+(?:_[a-z0-9]+)*)\\.sql");

    private static Path packaged() throws URISyntaxException {
        URL url = SchemaMigration.class.getClassLoader().getResource(LOCATION);
        assertThat(url).as("%s on the class path", LOCATION).isNotNull();
        return Path.of(url.toURI());
    }

    private static List<Path> scripts(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    /** The scripts by version, after checking every name. */
    private static Map<Integer, Path> byVersion() throws Exception {
        Map<Integer, Path> versions = new TreeMap<>();
        List<String> misnamed = new ArrayList<>();
        for (Path script : scripts(packaged())) {
            Matcher name = VERSIONED.matcher(script.getFileName().toString());
            if (!name.matches()) {
                misnamed.add(script.getFileName().toString());
                continue;
            }
            Path before = versions.put(Integer.parseInt(name.group(1)), script);
            assertThat(before)
                    .as("version %s of both %s and %s", name.group(1), before, script.getFileName())
                    .isNull();
        }
        assertThat(misnamed).as("files Flyway would not run").isEmpty();
        return versions;
    }

    @Test
    void theClassPathHoldsExactlyTheScriptsOfSqlSchema() throws Exception {
        List<Path> source = scripts(Path.of("sql/schema"));
        List<Path> onClassPath = scripts(packaged());

        assertThat(onClassPath.stream().map(p -> p.getFileName().toString()))
                .containsExactlyElementsOf(
                        source.stream().map(p -> p.getFileName().toString()).toList());
        for (int i = 0; i < source.size(); i++) {
            assertThat(Files.readAllBytes(onClassPath.get(i)))
                    .as("%s as packaged", source.get(i).getFileName())
                    .isEqualTo(Files.readAllBytes(source.get(i)));
        }
    }

    @Test
    void everyScriptIsNamedAsFlywayRunsItAndTheVersionsRunFromOneWithoutAGap() throws Exception {
        Map<Integer, Path> versions = byVersion();

        assertThat(versions).isNotEmpty();
        List<Integer> expected = new ArrayList<>();
        for (int v = 1; v <= versions.size(); v++) {
            expected.add(v);
        }
        assertThat(versions.keySet()).containsExactlyElementsOf(expected);
    }

    @Test
    void everyScriptHasStatementsAndEndsTheLastOne() throws Exception {
        for (Path script : byVersion().values()) {
            String sql = Files.readString(script, StandardCharsets.UTF_8);
            String code = withoutComments(sql).strip();
            assertThat(code).as("statements of %s", script.getFileName()).isNotEmpty();
            assertThat(code)
                    .as("%s ends its last statement with ';' (nothing but comments after it)", script.getFileName())
                    .endsWith(";");
        }
    }

    @Test
    void theCommentStripperKeepsCodeAndDropsComments() {
        // The check above relies on it: a script whose last statement lacks its ';' must be caught.
        assertThat(withoutComments("create table a (x int); -- done\n").strip()).isEqualTo("create table a (x int);");
        assertThat(withoutComments("create table a (x int) -- no end;\n").strip())
                .isEqualTo("create table a (x int)");
        assertThat(withoutComments("/* a; */ select 1;\n/* b */").strip()).isEqualTo("select 1;");
        assertThat(withoutComments("select '--;' ").strip()).isEqualTo("select '--;'");
    }

    /** The SQL without its line and block comments (quoted text kept as it is). */
    private static String withoutComments(String sql) {
        StringBuilder code = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else if (sql.charAt(i) == '\'') {
                int end = sql.indexOf('\'', i + 1);
                end = end < 0 ? sql.length() : end + 1;
                code.append(sql, i, end);
                i = end;
            } else {
                code.append(sql.charAt(i++));
            }
        }
        return code.toString();
    }

    @Test
    void anEdgeOnlyInstanceNeverTouchesTheDatabase() {
        SchemaMigration migration = new SchemaMigration();
        migration.roles = ConfigInjection.inject(new Roles(), Map.of("pomf.roles", "edge"));
        migration.dataSource = StandIn.of(DataSource.class, (method, args) -> {
            throw new AssertionError("an edge asked the database: " + method);
        });

        migration.migrate();
    }

    @Test
    void anyOtherRoleMigratesAndStopsTheStartWhenTheDatabaseIsUnreachable() {
        List<String> calls = new ArrayList<>();
        SchemaMigration migration = new SchemaMigration();
        migration.roles = ConfigInjection.inject(new Roles(), Map.of("pomf.roles", "edge,witness"));
        migration.dataSource = StandIn.of(DataSource.class, (method, args) -> {
            calls.add(method);
            if (method.equals("getConnection")) {
                throw unchecked(new SQLException("Connection refused", "08001"));
            }
            return null;
        });

        assertThatThrownBy(migration::migrate)
                .isInstanceOf(RuntimeException.class)
                .hasRootCauseMessage("Connection refused");
        assertThat(calls).contains("getConnection");
    }

    /** Throws {@code e} from a stand-in, whose method declares it (getConnection throws SQLException). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException unchecked(Throwable e) throws E {
        throw (E) e;
    }
}
