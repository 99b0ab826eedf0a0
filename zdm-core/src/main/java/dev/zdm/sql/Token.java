package dev.zdm.sql;

import java.util.Locale;

/**
 * One lexical token of a PostgreSQL statement.
 *
 * @param type what kind of token
 * @param text the token as written (for {@link Type#QUOTED} without the quotes, unescaped)
 * @param start offset of the token's first character in the statement
 * @param end offset just past the token
 */
public record Token(Type type, String text, int start, int end) {

    /** Token kinds. Comments and white space are skipped by the lexer. */
    public enum Type {
        /** Unquoted identifier or keyword. */
        WORD,
        /** Double-quoted identifier. */
        QUOTED,
        /** String literal, including E'' and dollar-quoted strings. */
        STRING,
        NUMBER,
        /** Operator or punctuation: ( ) , ; . :: and the like. */
        SYMBOL
    }

    /** Whether this is the unquoted word {@code keyword} (case-insensitive). */
    public boolean is(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    /** Whether this is the symbol {@code symbol}. */
    public boolean isSymbol(String symbol) {
        return type == Type.SYMBOL && text.equals(symbol);
    }

    /** An identifier as PostgreSQL folds it: unquoted words lowercased, quoted ones kept. */
    public String identifier() {
        return type == Type.WORD ? text.toLowerCase(Locale.ROOT) : text;
    }

    /** Whether this token can name something (a word or a quoted identifier). */
    public boolean isName() {
        return type == Type.WORD || type == Type.QUOTED;
    }
}
