package pomf.reporting.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportSqlTest {
    private static final Set<String> FROM_TO = Set.of("from", "to");

    @Test
    void parametersBecomePlaceholdersAndCastsStay() {
        ReportSql.Prepared p = ReportSql.prepare(
                "select x::text from t where a >= :'from'::timestamptz and a < :'to'::timestamptz and b > :'from'",
                FROM_TO);
        assertThat(p.sql())
                .isEqualTo("select x::text from t where a >= ?::timestamptz and a < ?::timestamptz and b > ?");
        assertThat(p.parameters()).containsExactly("from", "to", "from");
    }

    @Test
    void quotesInsideLiteralsAndCommentsAreNotParameters() {
        String sql = "select ':''from''' as a, 'it''s :''to''' as b, E'\\':''x''' as c -- :'nope' it's\n"
                + "/* :'nope' /* nested 'x */ */ , \"odd:'col\" , $$ :'nope' $$, $t$ it's $t$ from t where a = :'to'";
        ReportSql.Prepared p = ReportSql.prepare(sql, FROM_TO);
        assertThat(p.parameters()).containsExactly("to");
        assertThat(p.sql()).isEqualTo(sql.replace("a = :'to'", "a = ?"));
    }

    @Test
    void undeclaredParameterIsRefused() {
        assertThatThrownBy(() -> ReportSql.prepare("select :'node'", FROM_TO))
                .isInstanceOf(ReportDefinitionException.class)
                .hasMessageContaining(":'node'")
                .hasMessageContaining("declares no");
    }

    @Test
    void unquotedPsqlVariablesAreRefusedBecauseTheyWouldBePasted() {
        assertThatThrownBy(() -> ReportSql.prepare("select * from t limit :from", FROM_TO))
                .isInstanceOf(ReportDefinitionException.class)
                .hasMessageContaining(":'name'");
        assertThatThrownBy(() -> ReportSql.prepare("select * from :\"from\"", FROM_TO))
                .isInstanceOf(ReportDefinitionException.class);
    }

    @Test
    void unclosedQuotesAndCommentsAreRefused() {
        assertThatThrownBy(() -> ReportSql.prepare("select 'abc", FROM_TO)).hasMessageContaining("unclosed string");
        assertThatThrownBy(() -> ReportSql.prepare("select \"abc", FROM_TO)).hasMessageContaining("unclosed quoted");
        assertThatThrownBy(() -> ReportSql.prepare("select 1 /* abc", FROM_TO))
                .hasMessageContaining("unclosed comment");
        assertThatThrownBy(() -> ReportSql.prepare("select $q$ abc", FROM_TO)).hasMessageContaining("dollar");
    }

    @Test
    void oneStatementOnlyWithAnOptionalSemicolon() {
        assertThat(ReportSql.prepare("select 1; -- done\n", FROM_TO).sql()).isEqualTo("select 1");
        assertThatThrownBy(() -> ReportSql.prepare("select 1; delete from t", FROM_TO))
                .hasMessageContaining("one statement");
        assertThat(ReportSql.prepare("select ';' as s", FROM_TO).sql()).isEqualTo("select ';' as s");
    }

    @Test
    void questionMarksAreEscapedForJdbcAndMetaCommandsRefused() {
        assertThat(ReportSql.prepare("select j ? 'k' from t", FROM_TO).sql()).isEqualTo("select j ?? 'k' from t");
        assertThatThrownBy(() -> ReportSql.prepare("\\set x 1\nselect 1", FROM_TO))
                .hasMessageContaining("meta-commands");
    }

    @Test
    void otherColonsAreKept() {
        assertThat(ReportSql.prepare("select a[1:2], f(x => 1), g(y := 2)", FROM_TO)
                        .sql())
                .isEqualTo("select a[1:2], f(x => 1), g(y := 2)");
    }

    /**
     * Fuzzing finding (issue 14): a placeholder next to another, or next to a JSON {@code ?} operator, wrote
     * {@code ??} or {@code ???}, which PgJDBC reads as an escaped question mark: {@code :'from':'to'} bound nothing,
     * and {@code :'from'?'k'} bound its value on the other side of the operator. Each placeholder stays a token of
     * its own.
     */
    @Test
    void aPlaceholderNeverMergesWithAQuestionMarkBesideIt() throws java.sql.SQLException {
        for (String sql : new String[] {"select :'from':'to'", "select :'from'?'k'", "select :'from'??:'to'"}) {
            ReportSql.Prepared p = ReportSql.prepare(sql, FROM_TO);
            var parsed = org.postgresql.core.Parser.parseJdbcSql(p.sql(), true, true, true, false, false);
            assertThat(parsed.get(0).bindPositions)
                    .as(p.sql())
                    .hasSize(p.parameters().size());
        }
        assertThat(ReportSql.prepare("select :'from'?'k'", FROM_TO).sql()).isEqualTo("select ? ??'k'");
    }

    /**
     * Fuzzing finding (issue 14): PostgreSQL (and PgJDBC after it) takes any character past ASCII as an identifier
     * character, in dollar-quote tags too, where the lexer knew only ASCII letters: in {@code $Դ$ :'from' $Դ$} it
     * bound a placeholder inside what the database reads as a string, and after {@code €} it opened a dollar quote
     * that the database reads as part of a name.
     */
    @Test
    void identifierCharactersAreTheDatabases() throws java.sql.SQLException {
        assertThat(ReportSql.prepare("select $Դ$ :'from' $Դ$", FROM_TO).parameters())
                .isEmpty();
        assertThat(ReportSql.prepare("select $tag€$ :'from' $tag€$", FROM_TO).parameters())
                .isEmpty();
        for (String sql : new String[] {"select $Դ$  */:'from' $Դ$ , :'to'", "select a€$x$ , :'from'"}) {
            ReportSql.Prepared p = ReportSql.prepare(sql, FROM_TO);
            var parsed = org.postgresql.core.Parser.parseJdbcSql(p.sql(), true, true, true, false, false);
            assertThat(parsed.get(0).bindPositions)
                    .as(p.sql())
                    .hasSize(p.parameters().size());
        }
    }

    /**
     * Fuzzing finding (issue 14): where PostgreSQL and PgJDBC read characters past ASCII differently (U+FFFF is an
     * identifier character to the database, not to PgJDBC, which then opens a dollar quote after it), no lexer can
     * agree with both: such a report is refused when it is loaded, never run with its values bound elsewhere.
     */
    @Test
    void aReportThatPgJdbcWouldBindDifferentlyIsRefused() {
        assertThatThrownBy(() -> ReportSql.prepare("select \uFFFF$t$ :'from' ", FROM_TO))
                .isInstanceOf(ReportDefinitionException.class)
                .hasMessageContaining("PgJDBC");
    }
}
