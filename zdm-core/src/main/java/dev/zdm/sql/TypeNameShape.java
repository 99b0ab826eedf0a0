package dev.zdm.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The token grammar of one type name, as {@code ADD COLUMN c <type>} takes it: a name, possibly schema-qualified or
 * quoted, the words of PostgreSQL's multi-word types ({@code character varying}, {@code double precision},
 * {@code timestamp(3) with time zone}, {@code interval day to second}), type modifiers in parentheses and array bounds.
 * Anything else ({@code DEFAULT}, {@code NOT NULL}, {@code GENERATED}, {@code REFERENCES}, {@code COLLATE}, a string, an
 * operator) is a column clause or more SQL, not a type.
 */
final class TypeNameShape {

    private static final Set<String> TYPE_WORDS = Set.of("varying", "precision", "with", "without", "time", "zone", "year",
            "month", "day", "hour", "minute", "second", "to", "array", "character", "char", "varchar");

    private TypeNameShape() {
    }

    static Optional<String> problem(List<Token> tokens) {
        Token previous = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            boolean afterDot = previous != null && previous.isSymbol(".");
            if (t.isSymbol(".")) {
                if (previous == null || !previous.isName() || i + 1 >= tokens.size() || !tokens.get(i + 1).isName()) {
                    return notPart(t);
                }
            } else if (t.type() == Token.Type.QUOTED) {
                if (previous != null && !afterDot) {
                    return notPart(t);
                }
            } else if (t.type() == Token.Type.WORD) {
                if (previous != null && !afterDot && !TYPE_WORDS.contains(t.text().toLowerCase(Locale.ROOT))) {
                    return notPart(t);
                }
            } else if (t.isSymbol("(") && previous != null) {
                int close = modifiers(tokens, i + 1);
                if (close < 0) {
                    return Optional.of("its modifiers in parentheses at offset " + t.start() + " hold more than numbers and"
                            + " names");
                }
                i = close;
                t = tokens.get(close);
            } else if (t.isSymbol("[") && previous != null) {
                int close = i + 1 < tokens.size() && tokens.get(i + 1).type() == Token.Type.NUMBER ? i + 2 : i + 1;
                if (close >= tokens.size() || !tokens.get(close).isSymbol("]")) {
                    return Optional.of("its array bounds at offset " + t.start() + " are not [] or [n]");
                }
                i = close;
                t = tokens.get(close);
            } else {
                return notPart(t);
            }
            previous = t;
        }
        return Optional.empty();
    }

    /** Index of the closing parenthesis of modifiers starting at {@code from}, or -1 if they hold anything else. */
    private static int modifiers(List<Token> tokens, int from) {
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol(")")) {
                return i > from ? i : -1;
            }
            if (!(t.type() == Token.Type.NUMBER || t.isName() || t.isSymbol(",") || t.isSymbol("-"))) {
                return -1;
            }
        }
        return -1;
    }

    private static Optional<String> notPart(Token t) {
        return Optional.of("it holds '" + t.text() + "' at offset " + t.start() + ", which is not part of a type name");
    }
}
