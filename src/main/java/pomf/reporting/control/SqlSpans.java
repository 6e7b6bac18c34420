package pomf.reporting.control;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the parts of SQL text that are never parameters end: string literals (standard and E'' with backslash
 * escapes), quoted identifiers, dollar quotes, and nested block comments, as PostgreSQL's lexer reads them.
 * Each method takes the index of the opening character and returns the index just past the closing one.
 */
final class SqlSpans {
    /** PostgreSQL's dolq_start and dolq_cont: every character past ASCII is one, as in identifiers. */
    private static final Pattern DOLLAR_TAG =
            Pattern.compile("\\$([A-Za-z_\\x{80}-\\x{FFFF}][A-Za-z0-9_\\x{80}-\\x{FFFF}]*)?\\$");

    private SqlSpans() {}

    static int literal(String text, int start, boolean backslashEscapes) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                i += 2;
            } else if (c == '\'') {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new ReportDefinitionException("unclosed string literal starting \"" + excerpt(text, start) + "\"");
    }

    static int quotedIdentifier(String text, int start) {
        int end = start + 1;
        while (true) {
            end = text.indexOf('"', end);
            if (end < 0) {
                throw new ReportDefinitionException(
                        "unclosed quoted identifier starting \"" + excerpt(text, start) + "\"");
            }
            if (end + 1 < text.length() && text.charAt(end + 1) == '"') {
                end += 2;
            } else {
                return end + 1;
            }
        }
    }

    /** The end of a dollar quote opening at {@code start}, or -1 when no tag opens there ({@code $1}, a lone $). */
    static int dollarQuote(String text, int start) {
        Matcher tag = DOLLAR_TAG.matcher(text).region(start, text.length());
        if (!tag.lookingAt()) {
            return -1;
        }
        int end = text.indexOf(tag.group(), tag.end());
        if (end < 0) {
            throw new ReportDefinitionException("unclosed dollar quote " + tag.group());
        }
        return end + tag.group().length();
    }

    static int blockComment(String text, int start) {
        int i = start;
        int depth = 0;
        while (i < text.length()) {
            if (text.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (text.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw new ReportDefinitionException("unclosed comment starting \"" + excerpt(text, start) + "\"");
    }

    static String excerpt(String text, int at) {
        return text.substring(at, Math.min(text.length(), at + 30)).replace('\n', ' ');
    }
}
