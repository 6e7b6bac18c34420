package pomf.reporting.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;
import pomf.reporting.entity.ParamType;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportParam;

/**
 * Coverage-guided fuzzing of the report lexer that turns psql's {@code :'name'} into JDBC's {@code ?} while it skips
 * string literals (standard and E''), quoted identifiers, dollar quotes and comments, of the header reader around
 * it, and of the typed parameter values a caller sends (issue 14, hostile clients). The fuzzer writes report files
 * from the lexer's own pieces (quotes, escapes, comment openers and closers, tags, colons, question marks,
 * semicolons) and values from a date-time's. Nothing may throw but the documented {@link
 * ReportDefinitionException}, {@link ReportParameterException} and {@link IllegalArgumentException}; and what the
 * lexer hands on must be read the same way by PgJDBC, which sends it: one statement, whose placeholders are exactly
 * the parameters the lexer bound, in number and so in order, so that no value is ever spliced into the text or
 * left unbound. The lexer checks that last point itself with PgJDBC and refuses a report where they differ; it
 * may need to only where PgJDBC and PostgreSQL read the text apart.
 */
class ReportSqlFuzzTest {
    private static final String[] PIECES = {
        ":'a'", ":'b'", ":'zz'", ":'", ":", "::", ":a", ":\"a\"", "'", "''", "E'", "e'", "\\", "\\'", "\"", "\"\"",
        "$$", "$t$", "$1", "$", "x$", "--", "\n", "\r\n", "/*", "*/", "?", "??", ";", " ", "select ", "a", "E", "_",
        "1", "(", ")", ",", "-", "/", "*", "\\x", "U&'", "B'", "X'", "\t"
    };
    private static final java.util.regex.Pattern PGJDBC_MISSES_ESCAPE_STRING =
            java.util.regex.Pattern.compile("(?s)(|.*[^A-Za-z0-9_$\\s\",()\\[\\].;:+\\-*/%^<>=~!@#&|`?])[eE]'.*");
    private static final String[] VALUES = {
        "2026-11-01",
        "2026-11-01T10:00",
        "2026-11-01 10:00",
        "+999999999-12-31T23:59:59-18:00",
        "-999999999-01-01T00:00+18:00",
        "+999999999-12-31",
        "Z",
        "T",
        ":",
        "+",
        "-",
        "99",
        "2147483648",
        " ",
        "\0"
    };

    @FuzzTest(maxDuration = "10s")
    void everyParameterIsBoundAndNothingElse(FuzzedDataProvider data) {
        StringBuilder header = new StringBuilder("-- title: t\n-- what it is for\n");
        if (data.consumeBoolean()) {
            header.append("-- param: a ")
                    .append(type(data))
                    .append(data.consumeBoolean() ? "\n" : " = " + sql(data, 4) + "\n");
        }
        if (data.consumeBoolean()) {
            header.append("-- param: b ").append(type(data)).append('\n');
        }
        if (data.consumeBoolean()) {
            header.append("-- ").append(data.consumeString(30)).append('\n');
        }
        String body = sql(data, 40);
        Map<String, String> raw = new LinkedHashMap<>();
        for (String name : List.of("a", "b")) {
            if (data.consumeBoolean()) {
                raw.put(name, value(data));
            }
        }

        checkLexer(body, Set.of("a", "b"));
        checkLexer(body, Set.of());
        Report report;
        try {
            report = ReportHeader.parse("fuzz", header + body);
        } catch (ReportDefinitionException e) {
            return;
        }
        assertEquals(report.bindOrder().size(), placeholders(report.sql()), report.sql());
        try {
            Map<String, Object> values = ReportParameters.given(report, raw);
            for (Map.Entry<String, Object> v : values.entrySet()) {
                ParamType type = report.param(v.getKey()).map(ReportParam::type).orElseThrow();
                assertTrue(type.javaType().isInstance(v.getValue()), () -> v + " is not a " + type);
            }
        } catch (ReportParameterException e) {
            // a bad value, refused with its parameter's name: documented
        }
        for (ParamType type : ParamType.values()) {
            try {
                type.parse(raw.getOrDefault("a", ""));
            } catch (IllegalArgumentException e) {
                // documented
            }
        }
    }

    private static void checkLexer(String body, Set<String> declared) {
        ReportSql.Prepared prepared;
        try {
            prepared = ReportSql.prepare(body, declared);
        } catch (ReportDefinitionException e) {
            // The lexer's own safety net (PgJDBC's count) may refuse only what PgJDBC and PostgreSQL read apart:
            // characters past ASCII and control characters (identifier characters to PgJDBC, by Java's rules, but
            // not to PostgreSQL); "/*/", which PgJDBC takes for a whole comment (its closing star is the opening
            // one) where PostgreSQL reads on; and an E'' string that PgJDBC reads as a standard one because it
            // honours the prefix only after whitespace, a double quote or an operator character, not at the start
            // nor after a closing quote. Elsewhere the lexer itself must agree with the driver.
            boolean apart = body.chars().anyMatch(c -> c >= 128 || Character.isIdentifierIgnorable(c))
                    || body.contains("/*/")
                    || PGJDBC_MISSES_ESCAPE_STRING.matcher(body.strip()).matches();
            assertTrue(apart || !e.getMessage().startsWith("PgJDBC"), () -> body + ": " + e.getMessage());
            return;
        }
        assertTrue(declared.containsAll(prepared.parameters()), prepared::toString);
        assertEquals(
                prepared.parameters().size(),
                placeholders(prepared.sql()),
                () -> "in " + body + "\nout " + prepared.sql());
    }

    /** How many placeholders PgJDBC finds, in what must be a single statement. */
    private static int placeholders(String sql) {
        List<NativeQuery> queries;
        try {
            queries = Parser.parseJdbcSql(sql, true, true, true, false, false);
        } catch (SQLException e) {
            throw new AssertionError("PgJDBC cannot read " + sql, e);
        }
        assertTrue(queries.size() <= 1, () -> "more than one statement: " + sql);
        return queries.isEmpty() ? 0 : queries.get(0).bindPositions.length;
    }

    private static String sql(FuzzedDataProvider data, int maxPieces) {
        StringBuilder text = new StringBuilder();
        for (int p = data.consumeInt(0, maxPieces); p > 0; p--) {
            text.append(data.consumeBoolean() ? PIECES[data.consumeInt(0, PIECES.length - 1)] : data.consumeString(6));
        }
        return text.toString();
    }

    private static String type(FuzzedDataProvider data) {
        return data.pickValue(new String[] {"timestamptz", "date", "integer", "text", "bogus"});
    }

    private static String value(FuzzedDataProvider data) {
        StringBuilder text = new StringBuilder();
        for (int p = data.consumeInt(0, 6); p > 0; p--) {
            text.append(data.consumeBoolean() ? VALUES[data.consumeInt(0, VALUES.length - 1)] : data.consumeString(8));
        }
        return text.toString();
    }
}
