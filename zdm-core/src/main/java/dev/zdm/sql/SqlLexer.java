package dev.zdm.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits PostgreSQL text into tokens and statements. Knows string literals (standard, {@code E''},
 * dollar-quoted), quoted identifiers, line and nested block comments, so a {@code ;} or keyword
 * inside any of them is never mistaken for structure.
 */
public final class SqlLexer {

    private SqlLexer() {
    }

    /** Tokens of {@code sql}, without comments and white space. */
    public static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            i = skipSpaceAndComments(sql, i);
            if (i >= n) {
                break;
            }
            char c = sql.charAt(i);
            int start = i;
            if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
                int quote = c == '\'' ? i : i + 1;
                i = endOfQuoted(sql, quote, '\'', c != '\'');
                tokens.add(new Token(Token.Type.STRING, sql.substring(quote + 1, Math.max(quote + 1, i - 1)), start, i));
            } else if ((c == 'U' || c == 'u') && i + 2 < n && sql.charAt(i + 1) == '&' && sql.charAt(i + 2) == '"') {
                i = endOfQuoted(sql, i + 2, '"', false); // U&"\0074": a Unicode-escaped identifier
                String raw = sql.substring(start + 3, Math.max(start + 3, i - 1)).replace("\"\"", "\"");
                tokens.add(new Token(Token.Type.QUOTED, unicodeUnescape(raw), start, i));
            } else if (c == '"') {
                i = endOfQuoted(sql, i, '"', false);
                tokens.add(new Token(Token.Type.QUOTED, sql.substring(start + 1, Math.max(start + 1, i - 1)).replace("\"\"", "\""),
                        start, i));
            } else if (c == '$' && dollarTagEnd(sql, i) > 0) {
                int tagEnd = dollarTagEnd(sql, i);
                String tag = sql.substring(i, tagEnd);
                int close = sql.indexOf(tag, tagEnd);
                i = close < 0 ? n : close + tag.length();
                tokens.add(new Token(Token.Type.STRING, sql.substring(tagEnd, close < 0 ? n : close), start, i));
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && isWordPart(sql.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Token.Type.WORD, sql.substring(start, i), start, i));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isDigit(sql.charAt(i)) || sql.charAt(i) == '.' || sql.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(Token.Type.NUMBER, sql.substring(start, i), start, i));
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                i += 2;
                tokens.add(new Token(Token.Type.SYMBOL, "::", start, i));
            } else {
                i++;
                tokens.add(new Token(Token.Type.SYMBOL, String.valueOf(c), start, i));
            }
        }
        return tokens;
    }

    /**
     * Splits a script into statements on top-level semicolons. Blank statements are dropped; each
     * statement is returned trimmed, without its semicolon.
     */
    public static List<String> splitStatements(String script) {
        List<String> statements = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (Token token : tokenize(script)) {
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth = Math.max(0, depth - 1);
            } else if (token.isSymbol(";") && depth == 0) {
                addIfNotBlank(statements, script.substring(from, token.start()));
                from = token.end();
            }
        }
        addIfNotBlank(statements, script.substring(from));
        return statements;
    }

    /**
     * Offset of the first character that is not white space or inside a comment, at or after {@code i}.
     */
    public static int skipSpaceAndComments(String sql, int i) {
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 1;
                i += 2;
                while (i < n && depth > 0) {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                }
            } else {
                return i;
            }
        }
        return i;
    }

    /** Decodes the escapes of a {@code U&"..."} identifier ({@code \\XXXX}, {@code \\+XXXXXX}, {@code \\\\}). */
    static String unicodeUnescape(String raw) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 >= raw.length()) {
                out.append(c);
            } else if (raw.charAt(i + 1) == '\\') {
                out.append('\\');
                i++;
            } else {
                boolean wide = raw.charAt(i + 1) == '+';
                int from = i + (wide ? 2 : 1);
                int to = Math.min(raw.length(), from + (wide ? 6 : 4));
                try {
                    out.appendCodePoint(Integer.parseInt(raw.substring(from, to), 16));
                    i = to - 1;
                } catch (NumberFormatException notAnEscape) {
                    out.append(c);
                }
            }
        }
        return out.toString();
    }

    static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static void addIfNotBlank(List<String> statements, String text) {
        if (skipSpaceAndComments(text, 0) < text.length()) {
            statements.add(text.strip());
        }
    }

    private static int endOfQuoted(String sql, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    /** End (exclusive) of a dollar-quote tag starting at {@code i}, or -1 if there is none. */
    private static int dollarTagEnd(String sql, int i) {
        int j = i + 1;
        int n = sql.length();
        while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            if (j == i + 1 && Character.isDigit(sql.charAt(j))) {
                return -1; // $1 is a parameter, not a tag
            }
            j++;
        }
        return j < n && sql.charAt(j) == '$' ? j + 1 : -1;
    }
}
