package dev.zdm.sql;

import java.util.List;

/** A read position in a token list, with the look-ahead helpers the parsers need. */
final class TokenCursor {

    private final String sql;
    private final List<Token> tokens;
    private int position;

    TokenCursor(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = tokens;
    }

    boolean atEnd() {
        return position >= tokens.size();
    }

    Token peek() {
        return atEnd() ? null : tokens.get(position);
    }

    Token peek(int ahead) {
        int at = position + ahead;
        return at < tokens.size() ? tokens.get(at) : null;
    }

    boolean peekIs(String keyword) {
        return !atEnd() && tokens.get(position).is(keyword);
    }

    boolean peekIsSymbol(String symbol) {
        return !atEnd() && tokens.get(position).isSymbol(symbol);
    }

    Token next() {
        return atEnd() ? null : tokens.get(position++);
    }

    /** Consumes the keywords in order if all of them come next; otherwise consumes nothing. */
    boolean accept(String... keywords) {
        for (int i = 0; i < keywords.length; i++) {
            Token t = peek(i);
            if (t == null || !t.is(keywords[i])) {
                return false;
            }
        }
        position += keywords.length;
        return true;
    }

    boolean acceptSymbol(String symbol) {
        if (peekIsSymbol(symbol)) {
            position++;
            return true;
        }
        return false;
    }

    /** Reads a possibly qualified name, or returns {@code null} when no name comes next. */
    TableName name() {
        Token first = peek();
        if (first == null || !first.isName()) {
            return null;
        }
        position++;
        if (peekIsSymbol(".") && peek(1) != null && peek(1).isName()) {
            position++;
            Token second = next();
            if (peekIsSymbol(".") && peek(1) != null && peek(1).isName()) {
                position++;
                return new TableName(second.identifier(), next().identifier()); // database.schema.table
            }
            return new TableName(first.identifier(), second.identifier());
        }
        return new TableName(null, first.identifier());
    }

    /** Reads a comma-separated list of names ({@code a, ONLY b *, c}); empty when none comes next. */
    List<TableName> names() {
        List<TableName> names = new java.util.ArrayList<>();
        do {
            accept("only");
            TableName name = name();
            if (name == null) {
                break;
            }
            names.add(name);
            acceptSymbol("*");
            group(); // VACUUM t (column, ...)
        } while (acceptSymbol(","));
        return names;
    }

    /** Reads a simple identifier, or {@code null}. */
    String identifier() {
        Token t = peek();
        if (t == null || !t.isName()) {
            return null;
        }
        position++;
        return t.identifier();
    }

    /** Skips a parenthesised group if one comes next; returns its inner text or {@code null}. */
    String group() {
        if (!peekIsSymbol("(")) {
            return null;
        }
        int startToken = position;
        int depth = 0;
        do {
            Token t = next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
        } while (depth > 0 && !atEnd());
        Token open = tokens.get(startToken);
        Token close = tokens.get(position - 1);
        return sql.substring(open.end(), close.isSymbol(")") ? close.start() : close.end()).strip();
    }

    /**
     * Consumes tokens up to (not including) a top-level comma or one of the stop keywords, and returns
     * the text they span ({@code null} if none).
     */
    String until(java.util.Set<String> stopKeywords) {
        int depth = 0;
        int from = position;
        while (!atEnd()) {
            Token t = peek();
            if (depth == 0 && (t.isSymbol(",") || t.isSymbol(")")
                    || (t.type() == Token.Type.WORD && stopKeywords.contains(t.text().toLowerCase(java.util.Locale.ROOT))))) {
                break;
            }
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
            position++;
        }
        return from == position ? null : sql.substring(tokens.get(from).start(), tokens.get(position - 1).end());
    }

    /**
     * Consumes a DEFAULT expression of a column definition: up to a top-level comma or the start of the next
     * column constraint, but never inside parentheses or {@code CASE ... END}, and never at the {@code NOT NULL} of
     * {@code IS NOT NULL}.
     */
    String expression() {
        int depth = 0;
        int from = position;
        while (!atEnd()) {
            Token t = peek();
            Token previous = position > from ? tokens.get(position - 1) : null;
            boolean afterIs = previous != null && (previous.is("is") || previous.is("not") && position - 2 >= from
                    && tokens.get(position - 2).is("is"));
            if (depth == 0 && (t.isSymbol(",") || t.isSymbol(")") || t.is("constraint") || t.is("check") || t.is("unique")
                    || t.is("primary") || t.is("references") || t.is("generated") || t.is("collate") || t.is("default")
                    || t.is("deferrable") || t.is("initially") || t.is("storage") || t.is("compression")
                    || (t.is("not") && !afterIs && peek(1) != null && (peek(1).is("null") || peek(1).is("deferrable")))
                    || (t.is("null") && !afterIs && position > from))) {
                break;
            }
            if (t.isSymbol("(") || t.is("case")) {
                depth++;
            } else if (t.isSymbol(")") || t.is("end")) {
                depth--;
            }
            position++;
        }
        return from == position ? null : sql.substring(tokens.get(from).start(), tokens.get(position - 1).end());
    }

    /** Skips to just past the next top-level comma (or to the end). */
    void skipPastComma() {
        until(java.util.Set.of());
        acceptSymbol(",");
    }
}
