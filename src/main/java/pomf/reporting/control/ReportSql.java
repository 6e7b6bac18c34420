package pomf.reporting.control;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

/**
 * Turns a report body written for psql into a JDBC statement: each {@code :'name'} becomes {@code ?} (casts such as
 * {@code ::timestamptz} stay), never a value pasted into the text. String literals, quoted identifiers, dollar quotes
 * and comments are copied untouched, so a {@code :'x'} or a quote inside them is not taken for a parameter.
 */
public final class ReportSql {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The statement and the parameter behind each of its {@code ?}, in order. */
    public record Prepared(String sql, List<String> parameters) {}

    private final String text;
    private final Set<String> declared;
    private final StringBuilder out = new StringBuilder();
    private final List<String> used = new ArrayList<>();
    /** Where the last placeholder ends in {@link #out}: a '?' written right after it would merge into PgJDBC's ??. */
    private int placeholderEnd = -1;

    private int i;

    private ReportSql(String text, Set<String> declared) {
        this.text = text;
        this.declared = declared;
    }

    /** @throws ReportDefinitionException for an undeclared parameter, an unclosed quote, or a second statement */
    public static Prepared prepare(String text, Set<String> declared) {
        ReportSql sql = new ReportSql(text, declared);
        sql.scan();
        String statement = sql.out.toString().strip();
        checkWithDriver(statement, sql.used.size());
        return new Prepared(statement, List.copyOf(sql.used));
    }

    /**
     * The driver finds the placeholders, not this lexer: where the two could disagree (PgJDBC reads characters past
     * ASCII by Java's identifier rules, the database by its own), the report is refused rather than run with its
     * values bound in the wrong places.
     */
    private static void checkWithDriver(String statement, int bound) {
        List<NativeQuery> queries;
        try {
            queries = Parser.parseJdbcSql(statement, true, true, true, false, false);
        } catch (SQLException e) {
            throw new ReportDefinitionException("PgJDBC cannot read the statement: " + e.getMessage());
        }
        int seen = queries.stream().mapToInt(q -> q.bindPositions.length).sum();
        if (queries.size() > 1 || seen != bound) {
            throw new ReportDefinitionException("PgJDBC reads " + queries.size() + " statement(s) with " + seen
                    + " parameter(s) where the report has 1 with " + bound
                    + ": a quote, tag or name with characters past ASCII that PgJDBC and PostgreSQL read apart?");
        }
    }

    private void scan() {
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '-' && next(1) == '-') {
                int end = text.indexOf('\n', i);
                copyTo(end < 0 ? text.length() : end);
            } else if (c == '/' && next(1) == '*') {
                copyTo(SqlSpans.blockComment(text, i));
            } else if (c == '\'') {
                copyTo(SqlSpans.literal(text, i, isEscapeString()));
            } else if (c == '"') {
                copyTo(SqlSpans.quotedIdentifier(text, i));
            } else if (c == '$' && !identifierBefore() && SqlSpans.dollarQuote(text, i) > 0) {
                copyTo(SqlSpans.dollarQuote(text, i));
            } else if (c == ':') {
                colon();
            } else if (c == '?') {
                separateFromPlaceholder();
                out.append("??"); // PgJDBC's escape: a JSON operator, not a placeholder
                i++;
            } else if (c == ';') {
                endOfStatement();
            } else if (c == '\\' && atLineStart()) {
                throw new ReportDefinitionException("psql meta-commands (\\...) cannot run in the application");
            } else {
                out.append(c);
                i++;
            }
        }
    }

    private void colon() {
        char n = next(1);
        if (n == ':') {
            out.append("::");
            i += 2;
        } else if (n == '\'') {
            int end = text.indexOf('\'', i + 2);
            String name = end < 0 ? "" : text.substring(i + 2, end);
            if (!NAME.matcher(name).matches()) {
                throw new ReportDefinitionException("malformed parameter near \"" + excerpt() + "\": write :'name'");
            }
            if (!declared.contains(name)) {
                throw new ReportDefinitionException(
                        "uses the parameter :'" + name + "' but declares no \"-- param: " + name + " ...\"");
            }
            separateFromPlaceholder();
            out.append('?');
            placeholderEnd = out.length();
            used.add(name);
            i = end + 1;
        } else if (n == '"' || Character.isLetter(n) || n == '_') {
            throw new ReportDefinitionException("psql substitution near \"" + excerpt()
                    + "\" is not supported: write parameters as :'name' (bound as values, never pasted)");
        } else {
            out.append(':');
            i++;
        }
    }

    /** A space after a placeholder that a question mark follows: {@code ? ??}, not {@code ???}. */
    private void separateFromPlaceholder() {
        if (out.length() == placeholderEnd) {
            out.append(' ');
        }
    }

    /** A report is one statement: a final semicolon is dropped; anything but comments after it is refused. */
    private void endOfStatement() {
        String rest = text.substring(i + 1).replaceAll("(?m)--.*$", "").strip();
        if (!rest.isEmpty()) {
            throw new ReportDefinitionException("a report holds one statement; found more after \";\"");
        }
        i = text.length();
    }

    private boolean isEscapeString() {
        return i > 0
                && (text.charAt(i - 1) == 'E' || text.charAt(i - 1) == 'e')
                && !(i > 1 && isWord(text.charAt(i - 2)));
    }

    private boolean identifierBefore() {
        return i > 0 && isWord(text.charAt(i - 1));
    }

    private boolean atLineStart() {
        int lineStart = text.lastIndexOf('\n', i - 1) + 1;
        return text.substring(lineStart, i).isBlank();
    }

    /** PostgreSQL's ident_cont: ASCII letters and digits, '_', '$', and every character past ASCII. */
    private static boolean isWord(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '$'
                || c > 127;
    }

    private char next(int ahead) {
        return i + ahead < text.length() ? text.charAt(i + ahead) : '\0';
    }

    private void copyTo(int end) {
        out.append(text, i, end);
        i = end;
    }

    private String excerpt() {
        return SqlSpans.excerpt(text, i);
    }
}
