package pomf.reporting.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pomf.reporting.entity.ParamType;
import pomf.reporting.entity.Report;
import pomf.reporting.entity.ReportChart;
import pomf.reporting.entity.ReportParam;

/**
 * Reads a report file: the comment lines it opens with are its header ({@code -- title: ...}, description lines,
 * {@code -- param: name type [= default]}, {@code -- chart: kind x=col y=col[,col] [series=col]}); what follows is
 * its body. Everything a run could trip on later (an undeclared parameter, a default that is not an expression of
 * the file's own) is refused here, when the reports are loaded.
 */
public final class ReportHeader {
    public static final Pattern REPORT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern KEY = Pattern.compile("(title|param|chart):\\s*(.*)");
    private static final Pattern PARAM = Pattern.compile("([a-z_][a-z0-9_]*)\\s+([a-z]+)(?:\\s*=\\s*(.+))?");
    private static final Set<String> CHART_KINDS = Set.of("line", "bar", "area");

    private ReportHeader() {}

    public static Report parse(String name, String file) {
        try {
            return read(name, file);
        } catch (ReportDefinitionException | IllegalArgumentException e) {
            throw new ReportDefinitionException("report " + name + ": " + e.getMessage());
        }
    }

    private static Report read(String name, String file) {
        if (!REPORT_NAME.matcher(name).matches()) {
            throw new ReportDefinitionException("a report name is lower-case letters, digits and dashes");
        }
        String[] lines = file.replace("\r\n", "\n").split("\n", -1);
        String title = null;
        StringBuilder description = new StringBuilder();
        List<ReportParam> params = new ArrayList<>();
        Optional<ReportChart> chart = Optional.empty();
        int body = 0;
        while (body < lines.length && lines[body].startsWith("--")) {
            String line = lines[body++].substring(2).strip();
            Matcher key = KEY.matcher(line);
            if (!key.matches()) {
                description.append(
                        line.isEmpty()
                                ? "\n"
                                : description.isEmpty() || endsParagraph(description) ? line : " " + line);
            } else if (key.group(1).equals("title")) {
                title = key.group(2).strip();
            } else if (key.group(1).equals("param")) {
                params.add(param(key.group(2).strip(), params));
            } else if (chart.isPresent()) {
                throw new ReportDefinitionException("more than one chart line");
            } else {
                chart = Optional.of(chart(key.group(2).strip()));
            }
        }
        if (title == null || title.isEmpty()) {
            throw new ReportDefinitionException("the header has no \"-- title: ...\" line");
        }
        if (description.toString().isBlank()) {
            throw new ReportDefinitionException("the header does not say what the report is for");
        }
        Set<String> declared = new HashSet<>();
        params.forEach(p -> declared.add(p.name()));
        String bodyText = String.join("\n", Arrays.asList(lines).subList(body, lines.length));
        ReportSql.Prepared prepared = ReportSql.prepare(bodyText, declared);
        if (prepared.sql().isEmpty()) {
            throw new ReportDefinitionException("the file has no statement after its header");
        }
        for (ReportParam param : params) {
            if (!prepared.parameters().contains(param.name())) {
                throw new ReportDefinitionException(
                        "declares the parameter " + param.name() + " but never uses :'" + param.name() + "'");
            }
        }
        return new Report(
                name,
                title,
                description.toString().strip(),
                List.copyOf(params),
                chart,
                prepared.sql(),
                prepared.parameters());
    }

    private static boolean endsParagraph(StringBuilder text) {
        return text.charAt(text.length() - 1) == '\n';
    }

    private static ReportParam param(String declaration, List<ReportParam> earlier) {
        Matcher m = PARAM.matcher(declaration);
        if (!m.matches()) {
            throw new ReportDefinitionException("malformed \"-- param: " + declaration
                    + "\": write \"-- param: name type [= default expression]\"");
        }
        String name = m.group(1);
        if (earlier.stream().anyMatch(p -> p.name().equals(name))) {
            throw new ReportDefinitionException("the parameter " + name + " is declared twice");
        }
        Optional<String> defaultExpression = Optional.ofNullable(m.group(3)).map(String::strip);
        defaultExpression.ifPresent(ReportHeader::checkDefault);
        return new ReportParam(name, ParamType.of(m.group(2)), defaultExpression);
    }

    /** A default is one expression, evaluated as {@code select (<expression>)::type}: no parameters, no statements. */
    private static void checkDefault(String expression) {
        ReportSql.Prepared prepared = ReportSql.prepare(expression, Set.of());
        if (!prepared.sql().equals(expression.strip()) || expression.contains(";")) {
            throw new ReportDefinitionException("the default \"" + expression + "\" must be a single expression");
        }
    }

    private static ReportChart chart(String hint) {
        String[] words = hint.split("\\s+");
        if (!CHART_KINDS.contains(words[0])) {
            throw new ReportDefinitionException("chart kind " + words[0] + " is not one of " + CHART_KINDS);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int w = 1; w < words.length; w++) {
            String[] kv = words[w].split("=", 2);
            if (kv.length != 2 || !Set.of("x", "y", "series").contains(kv[0]) || kv[1].isEmpty()) {
                throw new ReportDefinitionException("chart attribute " + words[w] + " is not x=, y= or series=");
            }
            attributes.put(kv[0], kv[1]);
        }
        if (!attributes.containsKey("x") || !attributes.containsKey("y")) {
            throw new ReportDefinitionException("a chart needs x= and y=");
        }
        return new ReportChart(
                words[0],
                attributes.get("x"),
                List.of(attributes.get("y").split(",")),
                Optional.ofNullable(attributes.get("series")));
    }
}
