package dev.zdm.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a CHECK expression proves a column NOT NULL the way PostgreSQL's SET NOT NULL accepts it: one of its
 * top-level AND conjuncts is {@code column IS NOT NULL} ({@code CHECK (a IS NOT NULL AND a > 0)} counts).
 */
public final class NotNullProof {

    private NotNullProof() {
    }

    /** The column the expression proves NOT NULL for each conjunct {@code col IS NOT NULL}. */
    public static List<String> columns(String expression) {
        List<String> columns = new ArrayList<>();
        if (expression == null) {
            return columns;
        }
        for (List<Token> conjunct : conjuncts(SqlLexer.tokenize(expression))) {
            List<Token> t = strip(conjunct);
            if (t.size() == 4 && t.get(0).isName() && t.get(1).is("is") && t.get(2).is("not") && t.get(3).is("null")) {
                columns.add(t.get(0).identifier());
            }
        }
        return columns;
    }

    /** Whether the expression proves {@code column} NOT NULL. */
    public static boolean proves(String expression, String column) {
        return columns(expression).contains(column);
    }

    private static List<List<Token>> conjuncts(List<Token> tokens) {
        List<Token> all = strip(tokens);
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            Token t = all.get(i);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.is("and")) {
                parts.addAll(conjuncts(all.subList(from, i)));
                from = i + 1;
            }
        }
        List<Token> last = all.subList(from, all.size());
        if (from == 0) {
            parts.add(last);
        } else {
            parts.addAll(conjuncts(last));
        }
        return parts;
    }

    /** Drops parentheses around the whole token list. */
    private static List<Token> strip(List<Token> tokens) {
        List<Token> t = tokens;
        while (t.size() >= 2 && t.get(0).isSymbol("(") && t.get(t.size() - 1).isSymbol(")") && closesAtEnd(t)) {
            t = t.subList(1, t.size() - 1);
        }
        return t;
    }

    private static boolean closesAtEnd(List<Token> t) {
        int depth = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).isSymbol("(")) {
                depth++;
            } else if (t.get(i).isSymbol(")") && --depth == 0 && i < t.size() - 1) {
                return false;
            }
        }
        return true;
    }
}
